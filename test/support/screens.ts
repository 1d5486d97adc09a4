import { expect, type Page } from '@playwright/test';

/**
 * Every screen of the kiosk a citizen can reach, as a way to get there from the home screen.
 * The accessibility suite runs axe-core, the overflow and touch-size checks and the speech
 * check on each of them in each mode; `npm run screenshots` photographs each. Add your screens.
 */
export interface ScreenVisit {
  name: string;
  /** Navigates from a freshly opened home screen; resolves when the screen is shown. */
  visit(page: Page): Promise<void>;
  /** Text the screen's speech must contain (its title, usually). */
  spoken: RegExp;
}

const tile = (id: string) => async (page: Page) => {
  await page.getByTestId(`tile-${id}`).click();
  await expect(page.getByTestId('home')).toHaveCount(0);
};

export const screenVisits: ScreenVisit[] = [
  { name: 'home', visit: async () => {}, spoken: /Xin chào! Quý khách cần làm gì\?.*Các lựa chọn: Lấy số thứ tự/ },
  { name: 'ticket', visit: tile('ticket'), spoken: /số thứ tự/i },
  { name: 'procedures', visit: tile('procedures'), spoken: /thủ tục/i },
  { name: 'dossier', visit: tile('dossier'), spoken: /hồ sơ/i },
  { name: 'submit', visit: tile('submit'), spoken: /hồ sơ/i },
  { name: 'payment', visit: tile('payment'), spoken: /lệ phí|thanh toán/i },
  { name: 'rating', visit: tile('rating'), spoken: /đánh giá|hài lòng/i },
  {
    name: 'idle-warning',
    visit: async (page) => {
      await page.getByTestId('tile-rating').click();
      await page.clock.runFor(31_000);
      // Large text and speech make the session ten times longer.
      if (!(await page.getByTestId('idle-warning').isVisible())) await page.clock.runFor(270_000);
      await expect(page.getByTestId('idle-warning')).toBeVisible();
    },
    spoken: /thêm thời gian/i,
  },
];
