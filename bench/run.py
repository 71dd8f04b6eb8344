"""Benchmark every page against an empty Streamlit page, in one run.

See bench/README.md. Results go to bench/results.json and bench/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.addresses import pages  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  for (const v of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    if (!v.querySelector('svg, canvas')) return false;
  for (const d of document.querySelectorAll('[data-testid="stDeckGlJsonChart"]'))
    if (!d.querySelector('canvas')) return false;
  return true;
}"""


def vm_hwm_kb(pid: int) -> int:
    """Peak resident memory of a process and its children's current, in kB."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            total = int(line.split()[1])
    return total


async def view(browser, url: str, timeout: float = 60_000) -> tuple[float, int]:
    """Open one page in a fresh context: seconds to rendered, websocket bytes received."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    received = [0]

    def on_ws(ws):
        ws.on("framereceived", lambda payload: received.__setitem__(
            0, received[0] + (len(payload) if payload else 0)))

    page.on("websocket", on_ws)
    start = time.perf_counter()
    await page.goto(url)
    await page.wait_for_function(RENDERED, timeout=timeout, polling=50)
    elapsed = time.perf_counter() - start
    await page.wait_for_timeout(300)  # late messages still count toward payload
    await context.close()
    return elapsed, received[0]


def address(base: str, path: str, lang: str) -> str:
    return f"{base}/{path}?lang={lang}" if path else f"{base}/?lang={lang}"


async def measure_pages(browser, base: str, empty_base: str, same_base: str, targets, repeats: int,
                        lang: str):
    """Each view of a page is paired with views of two empty pages just before it.

    The ratio of a page is the median of its pairs' ratios, so a change in the
    machine's load during the run (it is shared) moves both halves of a pair
    alike instead of favouring the pages measured early or late.

    The two empty pages: the empty app at ``/``, and an empty page at the
    page's own address (bench/empty_pages.py). Only the second pays what
    Streamlit's client costs any multipage app at a deep link.
    """
    out = {}
    empty_url = address(empty_base, "", lang)
    for name, path in targets:
        url, same_url = address(base, path, lang), address(same_base, path, lang)
        await view(browser, url)  # warm the server's caches for this page
        await view(browser, same_url)
        times, empties, sames, ratios, same_ratios, sizes = [], [], [], [], [], []
        for _ in range(repeats):
            e, _ = await view(browser, empty_url)
            s, _ = await view(browser, same_url)
            t, b = await view(browser, url)
            times.append(t)
            empties.append(e)
            sames.append(s)
            ratios.append(t / e)
            same_ratios.append(t / s)
            sizes.append(b)
        out[name] = {"median_s": statistics.median(times), "empty_s": statistics.median(empties),
                     "ratio": statistics.median(ratios), "same_s": statistics.median(sames),
                     "same_ratio": statistics.median(same_ratios), "bytes": int(statistics.median(sizes))}
    return out


async def cold_start(browser, script: str, path: str) -> float:
    start = time.perf_counter()
    proc, base = start_server(script)
    try:
        await view(browser, f"{base}/{path}?lang=zh")
        return time.perf_counter() - start
    finally:
        stop_server(proc)


async def crowd(browser, base: str, n: int, targets) -> dict:
    errors: list[str] = []

    async def reader(i: int):
        name, path = targets[i % len(targets)]
        try:
            context = await browser.new_context(viewport={"width": 390, "height": 844})
            page = await context.new_page()
            # One browser on 2 cores renders 40 pages slowly: the limits are
            # generous so that the count measures the server's errors, not
            # the client's queue.
            await page.goto(f"{base}/{path}?lang={'zh' if i % 2 else 'en'}", wait_until="commit",
                            timeout=300_000)
            await page.wait_for_function(RENDERED, timeout=300_000, polling=250)
            if await page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count():
                errors.append(f"reader {i} ({name}): error on page")
            await context.close()
        except Exception as exc:  # a timeout or a crash is an error the class would see
            errors.append(f"reader {i} ({name}): {type(exc).__name__}: {str(exc)[:120]}")

    start = time.perf_counter()
    await asyncio.gather(*(reader(i) for i in range(n)))
    return {"readers": n, "errors": errors, "seconds": time.perf_counter() - start}


async def main(args) -> dict:
    from playwright.async_api import async_playwright

    targets = pages()
    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "repeats": args.repeats}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # Cold start first, before anything is warm; alternate to share the noise.
        empty_cold, app_cold = [], []
        for _ in range(args.cold):
            empty_cold.append(await cold_start(browser, "bench/empty_app.py", ""))
            app_cold.append(await cold_start(browser, "streamlit_app.py", ""))
        results["cold_start"] = {"empty_s": statistics.median(empty_cold), "app_s": statistics.median(app_cold),
                                 "ratio": statistics.median(app_cold) / statistics.median(empty_cold)}

        empty_proc, empty_base = start_server("bench/empty_app.py")
        same_proc, same_base = start_server("bench/empty_pages.py")
        app_proc, app_base = start_server("streamlit_app.py")
        try:
            for lang in args.langs:
                await view(browser, f"{empty_base}/?lang={lang}")  # warm
                rows = await measure_pages(browser, app_base, empty_base, same_base, targets, args.repeats, lang)
                ratios = [r["ratio"] for r in rows.values()]
                same = [r["same_ratio"] for r in rows.values()]
                empty = {"median_s": statistics.median(r["empty_s"] for r in rows.values()),
                         "bytes": (await view(browser, f"{empty_base}/?lang={lang}"))[1]}
                results[f"pages_{lang}"] = {"empty": empty, "pages": rows,
                                            "median_ratio": statistics.median(ratios), "worst_ratio": max(ratios),
                                            "median_same": statistics.median(same), "worst_same": max(same)}
            results["crowd"] = await crowd(browser, app_base, args.crowd, targets)
            results["crowd"]["server_peak_mb"] = vm_hwm_kb(app_proc.pid) / 1024
        finally:
            for p in (empty_proc, same_proc, app_proc):
                stop_server(p)
        await browser.close()
    return results


def report(r: dict) -> str:
    lines = [f"# Benchmark results ({r['when']})", "",
             "Ratios are against empty Streamlit pages measured in the same run: each view of a page "
             "is paired with views of two empty pages made just before it, and a page's ratio is the "
             "median of its pairs.", "",
             "- **vs `/`:** the empty app at its home address (`bench/empty_app.py`).",
             "- **vs same address:** an empty page at the page's own address (`bench/empty_pages.py`). "
             "Opened at any address but `/`, Streamlit's client first asks `/<page>/_stcore/health`, "
             "gets a 404 and waits before it connects; an empty page there pays that too.", ""]
    cs = r["cold_start"]
    lines += [f"- **Cold start:** app {cs['app_s']:.2f} s vs empty {cs['empty_s']:.2f} s → "
              f"**{cs['ratio']:.2f}×** (target ≤ 1.5×)"]
    cr = r["crowd"]
    lines += [f"- **Crowd:** {cr['readers']} readers at once, {len(cr['errors'])} errors, "
              f"server peak memory **{cr['server_peak_mb']:.0f} MB** (target 0 errors, < 1024 MB), "
              f"all rendered in {cr['seconds']:.0f} s", ""]
    for key in [k for k in r if k.startswith("pages_")]:
        p = r[key]
        lines += [f"## Pages ({key[6:]})", "",
                  f"Empty page at `/`: {p['empty']['median_s'] * 1000:.0f} ms, "
                  f"{p['empty']['bytes'] / 1024:.0f} KB. Targets: median ≤ 1.3×, worst ≤ 2.0×.", "",
                  f"- **vs `/`:** median **{p['median_ratio']:.2f}×**, worst **{p['worst_ratio']:.2f}×**",
                  f"- **vs same address:** median **{p['median_same']:.2f}×**, worst **{p['worst_same']:.2f}×**",
                  "",
                  "| page | median render | empty at `/` | ratio vs `/` | empty at same address "
                  "| ratio vs same address | websocket payload |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, row in p["pages"].items():
            lines.append(f"| {name} | {row['median_s'] * 1000:.0f} ms | {row['empty_s'] * 1000:.0f} ms | "
                         f"{row['ratio']:.2f}× | {row['same_s'] * 1000:.0f} ms | {row['same_ratio']:.2f}× | "
                         f"{row['bytes'] / 1024:.0f} KB |")
        lines.append("")
    if cr["errors"]:
        lines += ["## Crowd errors", ""] + [f"- {e}" for e in cr["errors"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cold", type=int, default=7)  # paired starts; 3 ranged 1.23–1.59× apart
    ap.add_argument("--crowd", type=int, default=40)
    ap.add_argument("--langs", nargs="+", default=["zh", "en"])
    ap.add_argument("--quick", action="store_true", help="2 repeats, 1 cold start, 10 readers, zh only")
    a = ap.parse_args()
    if a.quick:
        a.repeats, a.cold, a.crowd, a.langs = 2, 1, 10, ["zh"]
    res = asyncio.run(main(a))
    (ROOT / "bench" / "results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False))
    (ROOT / "bench" / "results.md").write_text(report(res))
    print(report(res))
