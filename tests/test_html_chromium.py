"""Every HTML output of the demo, rendered in a real headless Chromium.

The browser is driven through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: JSON messages separated by NUL bytes on file
descriptors 3 and 4), so no websocket library or browser driver is needed.
Each page is opened at 1280 px; the test fails on horizontal overflow, on
console errors and uncaught exceptions, and on a date, number or short label
that wraps onto a second line. A full-page screenshot of every page is saved
under pytest's temporary folder (its path is printed) for CI to keep as an
artefact. Without Chromium (Debian: ``apt-get install chromium
fonts-noto-cjk``) the test is skipped, saying so.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backoffice_marketing import materials

pytestmark = pytest.mark.slow

WIDTH = 1280
HEIGHT = 900
TIMEOUT = 60.0
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)

#: Runs in the page: its overflow, and the elements that must stay on one line but wrap.
_PROBE = r"""
(() => {
  const root = document.documentElement;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 && wide.length < 5) {
      wide.push(el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 40));
    }
  }
  const wrapped = [];
  for (const el of document.querySelectorAll('.num, .date, .nowrap, time')) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (tops.size > 1 && wrapped.length < 5) wrapped.push(el.textContent.trim().slice(0, 40));
  }
  const squeezed = [];
  for (const el of document.querySelectorAll('th, td')) {
    const text = el.textContent.replace(/\s+/g, '');
    if (text.length < 3) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    const thin = lines >= 3 && lines * 2 >= text.length;
    if (thin && squeezed.length < 5) squeezed.push(text.slice(0, 20));
  }
  return {
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    height: root.scrollHeight, wide: wide, wrapped: wrapped, squeezed: squeezed,
    lang: root.lang,
  };
})()
"""


#: The Japanese fonts of the stack in base.html.j2 (Debian names Noto Sans JP "Noto Sans CJK JP").
_STACK = frozenset(
    {"Noto Sans JP", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "YuGothic", "Meiryo"}
)


def _japanese_font_installed() -> bool:
    """Whether fontconfig knows a Japanese font of the stack in base.html.j2."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run(  # noqa: S603  (fontconfig's own lister, fixed arguments)
        [fc_list, ":lang=ja", "family"], capture_output=True, text=True, check=False, timeout=60
    ).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    return bool(families & _STACK)


def _browser() -> str | None:
    return next((path for name in _BROWSERS if (path := shutil.which(name))), None)


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_read, self._write = os.pipe()
        self._read, from_browser_write = os.pipe()

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(  # noqa: S603  (a fixed browser binary and flags)
            [binary, *_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire_pipes,  # noqa: PLW1509  (single-threaded test process)
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        """End the browser and close the pipes."""
        with contextlib.suppress(OSError, TimeoutError, RuntimeError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its debugging pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            command["sessionId"] = session
        os.write(self._write, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, method: str, session: str) -> None:
        """Wait until the event ``method`` arrives for ``session``."""
        deadline = time.monotonic() + TIMEOUT
        seen = len(self.events)
        while not any(
            event.get("method") == method and event.get("sessionId") == session
            for event in self.events[seen:]
        ):
            self.events.append(self._message(deadline))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    """A headless Chromium for the module, or a skip when none is installed."""
    binary = _browser()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)")
    if not _japanese_font_installed():
        pytest.skip(
            "no Japanese font of the page's stack is installed, so text widths would be wrong "
            "(Debian: apt-get install fonts-noto-cjk)"
        )
    tools = DevTools(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        tools.send("Browser.getVersion")
        yield tools
    finally:
        tools.close()


@pytest.fixture(scope="module", params=["ja", "en"])
def demo_pages(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ...]:
    """Every HTML file the demo writes, in Japanese and in English."""
    pytest.importorskip("narwhals", reason="the demo needs the [all] extra")
    from backoffice_marketing.app.demo import write_demo  # noqa: PLC0415

    folder = tmp_path_factory.mktemp(f"demo-html-{request.param}")
    written = write_demo(folder, lang=request.param)
    return tuple(path for path in written if path.suffix == ".html")


def _render(browser: DevTools, page: Path, shots: Path) -> dict[str, Any]:
    """Open ``page`` at 1280 px, save a full-page screenshot, return the probe and the errors."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    try:
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            browser.send(domain, session=session)
        metrics = {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}
        browser.send("Emulation.setDeviceMetricsOverride", metrics, session=session)
        first_event = len(browser.events)
        browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired", session)
        browser.send(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
            session=session,
        )
        probe: dict[str, Any] = browser.send(
            "Runtime.evaluate", {"expression": _PROBE, "returnByValue": True}, session=session
        )["result"]["value"]
        shot = browser.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True},
            session=session,
        )
        name = "-".join(page.with_suffix(".png").parts[-3:])
        (shots / name).write_bytes(base64.b64decode(shot["data"]))
        probe["errors"] = _errors(browser.events[first_event:], session)
        # After the errors: inspecting the DOM of a file: page logs a warning of its own.
        probe["fonts"] = _heading_fonts(browser, session)
        return probe
    finally:
        browser.send("Target.closeTarget", {"targetId": target})


def _heading_fonts(browser: DevTools, session: str) -> list[str]:
    """The fonts Chromium actually drew the page's first heading with."""
    browser.send("DOM.enable", session=session)
    browser.send("CSS.enable", session=session)
    root = browser.send("DOM.getDocument", session=session)["root"]["nodeId"]
    node = browser.send("DOM.querySelector", {"nodeId": root, "selector": "h1"}, session=session)
    if not node["nodeId"]:
        return []
    fonts = browser.send(
        "CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}, session=session
    )["fonts"]
    return [str(font["familyName"]) for font in fonts]


def _errors(events: list[dict[str, Any]], session: str) -> list[str]:
    """The console errors, uncaught exceptions and failed loads among ``events``."""
    errors: list[str] = []
    for event in events:
        if event.get("sessionId") != session:
            continue
        params = event.get("params", {})
        method = event.get("method")
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(arg.get("value", "")) for arg in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(params["entry"].get("text", "error"))
    return errors


def test_demo_html_renders_cleanly_in_chromium(
    browser: DevTools,
    demo_pages: tuple[Path, ...],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """No demo page overflows 1280 px, logs an error, wraps a date or squeezes a column."""
    shots = tmp_path_factory.mktemp(f"chromium-screenshots-{demo_pages[0].parts[-3]}")
    print(f"screenshots: {shots}")
    assert len(demo_pages) >= 8
    problems: list[str] = []
    for page in demo_pages:
        probe = _render(browser, page, shots)
        label = "/".join(page.parts[-2:])
        if probe["scrollWidth"] > probe["clientWidth"]:
            problems.append(
                f"{label}: {probe['scrollWidth']} px wide at {probe['clientWidth']} px: "
                f"{probe['wide']}"
            )
        if probe["wrapped"]:
            problems.append(f"{label}: wraps {probe['wrapped']}")
        if probe["squeezed"]:
            problems.append(f"{label}: one or two characters per line in {probe['squeezed']}")
        if probe["lang"] == "ja" and not set(probe["fonts"]) & _STACK:
            problems.append(f"{label}: heading drawn with {probe['fonts']}, not the font stack")
        if probe["errors"]:
            problems.append(f"{label}: console {probe['errors']}")
    assert len(list(shots.glob("*.png"))) == len(demo_pages)
    assert not problems, "\n".join(problems)


def test_print_is_a4_landscape(
    browser: DevTools,
    demo_pages: tuple[Path, ...],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Printing a report gives A4 landscape pages (the print stylesheet's @page size)."""
    page = next(path for path in demo_pages if path.name == "gap-report.html")
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    try:
        browser.send("Page.enable", session=session)
        browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired", session)
        pdf = base64.b64decode(
            browser.send("Page.printToPDF", {"preferCSSPageSize": True}, session=session)["data"]
        )
    finally:
        browser.send("Target.closeTarget", {"targetId": target})
    (tmp_path_factory.mktemp("chromium-print") / "gap-report.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes
    for width, height in boxes:
        assert (round(float(width)), round(float(height))) == (842, 595)  # A4 landscape, points


def test_probe_catches_overflow_wrapping_and_console_errors(
    browser: DevTools, tmp_path: Path
) -> None:
    """A page built to fail shows its overflow, wrapped date, squeezed cell and console error."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body>"
        '<div style="width:2000px">wide</div>'
        '<table style="width:60px"><tr><td class="date" style="white-space:normal">'
        "2027-05-14 2027-05-15</td></tr></table>"
        '<table style="width:10px"><tr><td>重要度</td></tr></table>'
        "<script>console.error('broken')</script></body></html>",
        encoding="utf-8",
    )
    probe = _render(browser, page, tmp_path)
    assert probe["scrollWidth"] > probe["clientWidth"]
    assert probe["wrapped"] == ["2027-05-14 2027-05-15"]
    assert probe["squeezed"] == ["重要度"]
    assert probe["errors"] == ["broken"]
    assert probe["fonts"] == []
    assert len(list(tmp_path.glob("*bad.png"))) == 1


#: Runs in the page: overflow, visible text under 10 px, and where the first-screen blocks are.
_SCREEN_PROBE = r"""
(() => {
  const root = document.documentElement;
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) continue;  // not rendered (a closed <details>, say)
    const el = node.parentElement;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg) {  // SVG text shrinks with its drawing: scale by the rendered width
      const box = svg.viewBox.baseVal;
      if (box && box.width) size *= svg.getBoundingClientRect().width / box.width;
    }
    if (size < 10 && small.length < 5) {
      small.push(node.textContent.trim().slice(0, 30) + ' ' + size.toFixed(1));
    }
  }
  const blocks = {};
  for (const el of document.querySelectorAll('[data-block]')) {
    const box = el.getBoundingClientRect();
    blocks[el.dataset.block] = {
      top: box.top + window.scrollY, bottom: box.bottom + window.scrollY,
    };
  }
  const idPattern = /\bq\d{2,}\b|\b[a-z_]+\.[a-z][a-z0-9-]+\b/g;
  const ids = (document.body.innerText.match(idPattern) || []).slice(0, 5);
  return {
    scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, innerHeight: window.innerHeight,
    small: small, blocks: blocks, ids: ids, literalBr: document.body.innerText.includes('<br'),
    height: root.scrollHeight,
  };
})()
"""

_SCREENS = ((390, 844, True), (1280, 800, False))
#: The blocks a department head must see without scrolling.
_FIRST_SCREEN = ("outcome", "barrier", "next-action")


@pytest.fixture(scope="module")
def workspace_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ...]:
    """The example workspace's dashboard and 製造部's page, as the README makes them."""
    pytest.importorskip("narwhals", reason="the workspace needs the [all] extra")
    from backoffice_marketing.app.cli import main  # noqa: PLC0415

    folder = tmp_path_factory.mktemp("workspace-html") / "my-initiative"
    assert main(["init", str(folder), "--example"]) == 0
    assert main(["update", str(folder), "--today", "2027-06-30"]) == 0
    pages = []
    for name, extra in (
        ("dashboard.html", []),
        ("department.html", ["--department", "製造部"]),
        ("department-en.html", ["--department", "製造部", "--lang", "en"]),
    ):
        out = folder.parent / name
        assert (
            main(["dashboard", str(folder), "--today", "2027-06-30", *extra, "-o", str(out)]) == 0
        )
        pages.append(out)
    return tuple(pages)


def _screens_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $BM_SCREENSHOTS when set (CI keeps it), else pytest's temp."""
    chosen = os.environ.get("BM_SCREENSHOTS")
    if chosen:
        folder = Path(chosen)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("chromium-screens")


def _screen(
    browser: DevTools, page: Path, shots: Path, size: tuple[int, int, bool]
) -> dict[str, Any]:
    """Open ``page`` at ``size`` (width, height, phone); save the first screen and the page."""
    width, height, mobile = size
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]
    try:
        browser.send("Page.enable", session=session)
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        browser.send("Emulation.setDeviceMetricsOverride", metrics, session=session)
        browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired", session)
        browser.send(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
            session=session,
        )
        probe: dict[str, Any] = browser.send(
            "Runtime.evaluate",
            {"expression": _SCREEN_PROBE, "returnByValue": True},
            session=session,
        )["result"]["value"]
        # A phone zooms out to fit wide content, widening innerWidth: judge by the screen's size.
        probe["screenWidth"], probe["screenHeight"] = width, height
        stem = f"{page.stem}-{width}"
        first = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
        (shots / f"{stem}-first-screen.png").write_bytes(base64.b64decode(first["data"]))
        whole = browser.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True},
            session=session,
        )
        (shots / f"{stem}-full.png").write_bytes(base64.b64decode(whole["data"]))
        return probe
    finally:
        browser.send("Target.closeTarget", {"targetId": target})


def _screen_problems(label: str, probe: dict[str, Any]) -> list[str]:
    """What a reader of the page would trip over, in words."""
    problems = []
    if max(probe["scrollWidth"], probe["innerWidth"]) > probe["screenWidth"]:
        wide = max(probe["scrollWidth"], probe["innerWidth"])
        problems.append(f"{label}: {wide} px wide at {probe['screenWidth']} px")
    if probe["small"]:
        problems.append(f"{label}: text under 10 px: {probe['small']}")
    for block in _FIRST_SCREEN:
        where = probe["blocks"].get(block)
        if where is None:
            problems.append(f"{label}: no {block} block")
        elif where["bottom"] > probe["screenHeight"]:
            problems.append(f"{label}: {block} ends at {where['bottom']:.0f} px, below the fold")
    if probe["ids"]:
        problems.append(f"{label}: ids visible: {probe['ids']}")
    if probe["literalBr"]:
        problems.append(f"{label}: a literal <br>")
    return problems


def test_workspace_pages_fit_phone_and_desktop(
    browser: DevTools,
    workspace_pages: tuple[Path, ...],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The dashboard and 製造部's page hold outcome, barrier and next action in the first screen."""
    shots = _screens_folder(tmp_path_factory)
    print(f"screenshots: {shots}")
    problems: list[str] = []
    for page in workspace_pages:
        for width, height, mobile in _SCREENS:
            probe = _screen(browser, page, shots, (width, height, mobile))
            problems.extend(_screen_problems(f"{page.name}@{width}", probe))
    assert len(list(shots.glob("*-first-screen.png"))) >= 6
    assert not problems, "\n".join(problems)


def test_screen_probe_catches_tiny_text_overflow_and_missing_blocks(
    browser: DevTools, tmp_path: Path
) -> None:
    """A page built to fail shows its overflow, its 6 px text, its ids and its missing blocks."""
    page = tmp_path / "bad-screen.html"
    page.write_text(
        '<!DOCTYPE html><html lang="ja"><head><meta name="viewport" '
        'content="width=device-width"></head><body>'
        '<div style="width:2000px">wide</div><p style="font-size:6px">小さい</p>'
        '<div data-block="outcome" style="margin-top:3000px">成果</div><p>質問 q01</p>'
        "<p>&lt;br&gt;</p></body></html>",
        encoding="utf-8",
    )
    probe = _screen(browser, page, tmp_path, (390, 844, True))
    problems = "\n".join(_screen_problems("bad", probe))
    assert "px wide at 390 px" in problems
    assert "text under 10 px" in problems
    assert "outcome ends at" in problems
    assert "no barrier block" in problems
    assert "q01" in problems
    assert "literal <br>" in problems


def test_materials_review_fits_a_phone(browser: DevTools, tmp_path: Path) -> None:
    """A review with an unsure (要確認) row fits 390 px and colours the row as at risk."""
    notice = tmp_path / "notice.md"
    notice.write_text(
        "# 勤怠の締め日について\n2027年5月10日\n人事部 労務課\n\n"
        "先月、修正依頼が多数寄せられ、給与計算が遅れる事案が発生しました。\n"
        "これを受け、来月から勤怠の締め日が変わります。\n"
        "まだ4月分の勤怠を確定していない方は、5月14日(金)までに勤怠システムで確定してください。\n"
        "ご不明な点は、人事部 労務課(内線2208)までお問い合わせください。\n",
        encoding="utf-8",
    )
    page = tmp_path / "review.html"
    review = materials.lint(notice)
    page.write_text(review.to_html(lang="ja"), encoding="utf-8")
    assert review.check("what_changes").verdict == "unsure"
    for size in _SCREENS:
        probe = _screen(browser, page, tmp_path, size)
        wide = max(probe["scrollWidth"], probe["innerWidth"])
        assert wide <= probe["screenWidth"], (size, wide)
