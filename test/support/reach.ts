import { expect, type Locator } from '@playwright/test';

/**
 * "Tests must see what a finger sees" (issue 20). Playwright scrolls a control into view before
 * it clicks, and clicks through anything drawn on top of it only when forced; a citizen's finger
 * does neither. A control a step needs must be, where it is drawn and WITHOUT scrolling:
 *   - visible (not hidden, not zero-sized),
 *   - wholly inside the viewport,
 *   - hit by the finger: `document.elementFromPoint` at its centre is the control itself or
 *     something inside it (not a panel, a key or a button drawn over it).
 * The page itself must not be scrolled (a kiosk page never scrolls; its panels may).
 */
export async function expectReachable(locator: Locator, timeout = 10_000): Promise<void> {
  const target = locator;
  await expect(target).toBeVisible({ timeout });
  await expect
    .poll(async () => reachProblem(target), {
      timeout,
      message: `${target} must be reachable by a finger without scrolling`,
    })
    .toBe('');
}

/**
 * Presses a control the way a finger does: only once it is reachable where it is drawn. A control
 * further down a panel that scrolls (a long list, a form) is first brought up by scrolling that
 * panel, as a finger swipes it; the page itself never scrolls.
 */
export async function tap(locator: Locator, timeout?: number): Promise<void> {
  await expect(locator).toBeVisible({ timeout });
  await locator.evaluate(swipePanelTo);
  await expectReachable(locator, timeout);
  await locator.click();
}

/**
 * A finger's quick repeated taps on one spot (the officer's five taps on the office name): the
 * control is checked reachable once, then touched `times` times at its centre without the round
 * trips of `tap` in between, so a gesture with a time window is not missed on a loaded machine.
 */
export async function tapTimes(locator: Locator, times: number, timeout?: number): Promise<void> {
  await expectReachable(locator, timeout);
  const box = (await locator.boundingBox())!;
  const page = locator.page();
  for (let i = 0; i < times; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Scrolls the panels (never the page) that hold the element until its centre is in their visible part. */
function swipePanelTo(el: Element) {
  for (let p = el.parentElement; p && p !== el.ownerDocument.body; p = p.parentElement) {
    const oy = getComputedStyle(p).overflowY;
    if ((oy !== 'auto' && oy !== 'scroll') || p.scrollHeight <= p.clientHeight + 1) continue;
    const r = el.getBoundingClientRect();
    const s = p.getBoundingClientRect();
    const cy = r.top + r.height / 2;
    if (cy < s.top + 4 || r.bottom > s.bottom) p.scrollTop += Math.min(r.top - s.top, cy - (s.top + s.height / 2));
  }
}

/** Why a finger cannot press the element, or '' when it can. */
export function reachProblem(target: Locator): Promise<string> {
  return target.evaluate((el: Element) => {
    const doc = el.ownerDocument;
    const win = doc.defaultView!;
    const r = el.getBoundingClientRect();
    const vw = doc.documentElement.clientWidth;
    const vh = doc.documentElement.clientHeight;
    const label = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
    if (r.width < 1 || r.height < 1) return `${label} has no size`;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1)
      return `${label} is outside the ${vw}×${vh} screen at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`;
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const hit = doc.elementFromPoint(cx, cy);
    if (win.scrollX !== 0 || win.scrollY !== 0) return `${label}: the page is scrolled (${win.scrollX},${win.scrollY})`;
    if (!hit) return `${label}: nothing at its centre`;
    if (hit !== el && !el.contains(hit)) {
      const over = `${hit.tagName.toLowerCase()}.${String(hit.className).split(' ')[0]} "${(hit.textContent ?? '').trim().slice(0, 30)}"`;
      return `${label}: ${over} is drawn over its centre`;
    }
    return '';
  });
}

/**
 * Every control on the screen a finger can press (buttons, links, fields, tabs, chips, keys),
 * each checked as `expectReachable` checks one. A control further down a panel that scrolls (a
 * long list, a form) is checked once the panel brings it into its visible part (`tap` swipes
 * there); a control inside the visible part of its panels must be on the screen and on top.
 * Returns the problems, none when every control is reachable.
 */
export function unreachableControls(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const sel =
      'button, [role="button"], a[href], input, select, textarea, [role="tab"], [role="radio"], [role="checkbox"], [data-skbtn]';
    // A modal dialog (the idle warning) is what the finger can press while it shows; the screen under it is not.
    const modal = document.querySelector('[aria-modal="true"], dialog[open]');
    for (const el of (modal ?? document).querySelectorAll<HTMLElement>(sel)) {
      if (el.closest('[hidden], [aria-hidden="true"], [inert]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.offsetParent === null && style.position !== 'fixed') continue;
      // Native checkboxes/radios drawn as a styled label: the label is what the finger presses.
      const target: HTMLElement =
        (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) ||
        el;
      const r = target.getBoundingClientRect();
      const label = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
      if (r.width < 1 || r.height < 1) {
        bad.push(`${label} has no size`);
        continue;
      }
      let scrolledAway = false;
      for (let p = target.parentElement; p && p !== document.body; p = p.parentElement) {
        const oy = getComputedStyle(p).overflowY;
        if ((oy !== 'auto' && oy !== 'scroll') || p.scrollHeight <= p.clientHeight + 1) continue;
        const s = p.getBoundingClientRect();
        const cy = r.top + r.height / 2;
        if (cy < s.top || cy > s.bottom) scrolledAway = true;
      }
      if (scrolledAway) continue;
      if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
        bad.push(
          `${label} is outside the ${vw}×${vh} screen (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)})`,
        );
        continue;
      }
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || (hit !== target && !target.contains(hit) && hit !== el)) {
        bad.push(
          `${label}: ${hit ? `${hit.tagName.toLowerCase()}.${String(hit.className).split(' ')[0]} "${(hit.textContent ?? '').trim().slice(0, 30)}"` : 'nothing'} is over its centre`,
        );
      }
    }
    if (window.scrollY !== 0 || window.scrollX !== 0)
      bad.push(`the page is scrolled (${window.scrollX},${window.scrollY})`);
    return bad;
  });
}
