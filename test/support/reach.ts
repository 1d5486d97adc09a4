import { expect, type Locator } from '@playwright/test';

/**
 * "Tests must see what a finger sees" (issue 20). Playwright scrolls a control into view before
 * it clicks, and clicks through anything drawn on top of it only when forced; a citizen's finger
 * does neither. A control a step needs must be, where it is drawn and WITHOUT scrolling:
 *   - visible (not hidden, not zero-sized),
 *   - wholly inside the viewport,
 *   - hit by the finger: `document.elementFromPoint` at its centre is the control itself or
 *     something inside it (not a panel, a key or a button drawn over it).
 * The page's scroll position is read before and after and must not change.
 */
export async function expectReachable(locator: Locator, timeout = 10_000): Promise<void> {
  const target = locator;
  await expect(target).toBeVisible({ timeout });
  await expect
    .poll(async () => reachProblem(target), { timeout, message: `${target} must be reachable by a finger without scrolling` })
    .toBe('');
}

/** Presses a control the way a finger does: only once it is reachable where it is drawn. */
export async function tap(locator: Locator, timeout?: number): Promise<void> {
  await expectReachable(locator, timeout);
  await locator.click();
}

/** Why a finger cannot press the element, or '' when it can. */
export function reachProblem(target: Locator): Promise<string> {
  return target.evaluate((el: Element) => {
    const doc = el.ownerDocument;
    const win = doc.defaultView!;
    const scrollBefore = [win.scrollX, win.scrollY];
    const r = el.getBoundingClientRect();
    const vw = doc.documentElement.clientWidth;
    const vh = doc.documentElement.clientHeight;
    const label = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
    if (r.width < 1 || r.height < 1) return `${label} has no size`;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1)
      return `${label} is outside the ${vw}×${vh} screen at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`;
    // Inside a panel that scrolls (a list, the keyboard's tray): the visible part of the panel must hold the centre.
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const hit = doc.elementFromPoint(cx, cy);
    if (win.scrollX !== scrollBefore[0] || win.scrollY !== scrollBefore[1]) return `${label}: the page scrolled`;
    if (!hit) return `${label}: nothing at its centre`;
    if (hit !== el && !el.contains(hit)) {
      const over = `${hit.tagName.toLowerCase()}.${String(hit.className).split(' ')[0]} "${(hit.textContent ?? '').trim().slice(0, 30)}"`;
      return `${label}: ${over} is drawn over its centre`;
    }
    return '';
  });
}

/**
 * Every control on the screen a finger can press (buttons, links, fields, tabs, chips), each
 * checked as `expectReachable` checks one. Controls inside a panel that the screen scrolls on
 * purpose (`data-scrolls`, e.g. a long result list) are checked only when they are in the panel's
 * visible part. Returns the problems, none when every control is reachable.
 */
export function unreachableControls(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const sel = 'button, [role="button"], a[href], input, select, textarea, [role="tab"], [role="radio"], [role="checkbox"], [data-skbtn]';
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      if (el.closest('[hidden], [aria-hidden="true"], [inert]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.offsetParent === null && style.position !== 'fixed') continue;
      // Native checkboxes/radios drawn as a styled label: the label is what the finger presses.
      const target: HTMLElement = (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) || el;
      const r = target.getBoundingClientRect();
      const label = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
      if (r.width < 1 || r.height < 1) {
        bad.push(`${label} has no size`);
        continue;
      }
      const scroller = target.closest<HTMLElement>('[data-scrolls]');
      if (scroller) {
        const s = scroller.getBoundingClientRect();
        const cy = r.top + r.height / 2;
        if (cy < s.top || cy > s.bottom) continue;
      }
      if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
        bad.push(`${label} is outside the ${vw}×${vh} screen (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)})`);
        continue;
      }
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || (hit !== target && !target.contains(hit) && hit !== el)) {
        bad.push(`${label}: ${hit ? `${hit.tagName.toLowerCase()}.${String(hit.className).split(' ')[0]} "${(hit.textContent ?? '').trim().slice(0, 30)}"` : 'nothing'} is over its centre`);
      }
    }
    if (window.scrollY !== 0 || window.scrollX !== 0) bad.push(`the page is scrolled (${window.scrollX},${window.scrollY})`);
    return bad;
  });
}
