import { expect, type Page } from '@playwright/test';
import { tap } from './reach.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrolDevice, getOfficeConfig, issueEnrolCode, upsertOffice } from '../../central/admin.node.ts';
import { DEMO_DOSSIERS } from '../../central/demo/catalog-seed.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import {
  provisionForTest,
  spawnKiosk,
  type LaunchedKiosk,
  spawnReady,
  tmpDir,
  type RunningProcess,
} from './appliance.ts';
import { CCCD, fillRest, passPapers, sendSkippingNotify } from './submission.ts';

/**
 * Every screen of the kiosk a citizen can reach, as a way to get there from the home screen.
 * The accessibility suite runs axe-core, the overflow and touch-size checks and the speech
 * check on each of them in each mode; `npm run screenshots` photographs each. Add your screens.
 */
export interface ScreenVisit {
  name: string;
  /**
   * Which kiosk the visit needs. Default 'offline': the kiosk alone, central unreachable.
   * 'online': enrolled with a real central (demo catalog and dossiers, office open all day).
   * 'no-printer': online, but its printer is a serial port that is not there.
   */
  kiosk?: KioskKind;
  /** Navigates from a freshly opened home screen; resolves when the screen is shown. */
  visit(page: Page): Promise<void>;
  /**
   * Text the screen's speech must contain (its title, usually; the key facts on result screens).
   * None for technician screens: they are not read by the citizen's speech output.
   */
  spoken?: RegExp;
}

export type KioskKind = 'offline' | 'online' | 'no-printer';

const OFFICE = 'ca-mau-an-xuyen';
const OFFICER_PIN = '246810';
const TIMEOUTS = { idleWarningMs: 30_000, warningMs: 20_000, attractMs: 60_000 };

/**
 * A real central (loopback, tmp SQLite, demo offices, catalog and dossiers) with its demo
 * office open around the clock (the suite runs at any hour), and a kiosk enrolled with it.
 */
export async function startOnlineKiosk(
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const db = join(tmpDir('a11y-central-'), 'central.sqlite');
  const central: RunningProcess = await spawnReady(
    'central/main.node.ts',
    ['--port', '0', '--db', db, '--seed'],
    {},
    /central listening on (http:\/\/\S+)/,
    60_000,
  );
  let kiosk: LaunchedKiosk | undefined;
  try {
    const store = await openCentralStore(db);
    const office = (await getOfficeConfig(store, OFFICE))!.config;
    const allDay = [{ open: '00:00', close: '23:59' }];
    await upsertOffice(store, {
      ...office,
      openingHours: { '1': allDay, '2': allDay, '3': allDay, '4': allDay, '5': allDay, '6': allDay, '7': allDay },
    });
    const { code } = await issueEnrolCode(store, { officeId: OFFICE });
    const e = await store.tx((q) => enrolDevice(q, { code, kioskName: 'Kiosk a11y' }));
    await store.close();
    const dataDir = tmpDir('a11y-kiosk-');
    writeFileSync(
      join(dataDir, 'credentials.json'),
      JSON.stringify({ ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() }),
      { mode: 0o600 },
    );
    writeFileSync(
      join(dataDir, 'kiosk.json'),
      JSON.stringify({
        kioskName: 'Kiosk a11y',
        officeId: OFFICE,
        officeName: 'UBND phường An Xuyên',
        timeouts: TIMEOUTS,
      }),
    );
    // As startKiosk does, with more time to come up: these run beside a loaded test machine.
    // The officer desk's PIN, set at first start as `npm start` sets it.
    kiosk = await spawnKiosk(
      ['--kiosk-only', '--web'],
      {
        KIOSK_DATA_DIR: dataDir,
        KIOSK_HOST_PORT: '0',
        KIOSK_CENTRAL_URL: central.url,
        KIOSK_ACK_WAIT_MS: '8000',
        KIOSK_OFFICER_PIN: OFFICER_PIN,
        ...env,
      },
      90_000,
    );
  } catch (err) {
    await central.stop();
    throw err;
  }
  const k = kiosk;
  return {
    // Each read is a new one-time launch address (test/support/appliance.ts).
    get url() {
      return k.url;
    },
    pid: k.child.pid!,
    stop: async () => {
      await k.stop();
      await central.stop();
    },
  };
}

/** The kiosk alone (central unreachable), as test/support/fixtures.ts starts it, with more time to come up. */
export async function startOfflineKiosk(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = tmpDir('a11y-offline-');
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({ officeName: 'UBND Phường 5, Cà Mau', kioskId: 'KIOSK-01', officeId: 'demo', timeouts: TIMEOUTS }),
  );
  provisionForTest(dataDir);
  // An officer PIN, as `npm start` sets one: the desk's PIN screen is among the screens visited.
  return spawnKiosk(
    ['--kiosk-only', '--web'],
    {
      KIOSK_DATA_DIR: dataDir,
      KIOSK_HOST_PORT: '0',
      KIOSK_CENTRAL_URL: 'http://127.0.0.1:9',
      KIOSK_OFFICER_PIN: OFFICER_PIN,
    },
    90_000,
  );
}

/** The kiosk a visit of that kind needs. */
export const startKioskFor = (kind: KioskKind) =>
  kind === 'offline'
    ? startOfflineKiosk()
    : startOnlineKiosk(
        kind === 'no-printer' ? { KIOSK_PRINTER: 'serial:/nonexistent/onestop-printer?baud=115200' } : {},
      );

const shown = (page: Page, testId: string, timeout = 15_000) =>
  expect(page.getByTestId(testId).first()).toBeVisible({ timeout });

const tile = (id: string) => async (page: Page) => {
  await tap(page.getByTestId(`tile-${id}`));
  await expect(page.getByTestId('home')).toHaveCount(0);
};

/** Types on the on-screen keyboard, key by key, as a citizen would. */
async function typeOnScreen(page: Page, keys: string) {
  for (const k of keys) await tap(page.locator(`.osk [data-skbtn="${k === ' ' ? '{space}' : k}"]`).first());
}

// Tickets: area → service ("Thường" → confirm; "Ưu tiên" → priority group → confirm) → the issued ticket.
const ticketAreas = async (page: Page) => {
  await tile('ticket')(page);
  await shown(page, 'ticket-areas');
};
const ticketServices = async (page: Page) => {
  await ticketAreas(page);
  await tap(page.getByTestId('area-tu-phap'));
  await shown(page, 'ticket-services');
};
const ticketPriority = async (page: Page) => {
  await ticketServices(page);
  await tap(page.getByTestId('service-ho-tich-priority'));
  await shown(page, 'ticket-priority');
};
const ticketConfirm = async (page: Page) => {
  await ticketServices(page);
  await tap(page.getByTestId('service-ho-tich-regular'));
  await shown(page, 'ticket-confirm');
};
const ticketDone = async (page: Page) => {
  await ticketConfirm(page);
  await tap(page.getByTestId('ticket-take'));
  await shown(page, 'ticket-done', 30_000);
};

// Procedures: the catalog arrives from central shortly after the kiosk starts.
const procedures = async (page: Page) => {
  await tile('procedures')(page);
  await shown(page, 'field-ho-tich', 30_000);
};
const procedureSearch = async (page: Page) => {
  await procedures(page);
  await shown(page, 'keyboard-text');
  await typeOnScreen(page, 'khai sinh');
  await shown(page, 'procedure-results');
};

// Dossier status: the code keypad, then a result or a message.
const dossierEntry = async (page: Page) => {
  await tile('dossier')(page);
  await shown(page, 'keyboard-code');
};
const lookUp = (code: string) => async (page: Page) => {
  await dossierEntry(page);
  await typeOnScreen(page, code);
  await tap(page.getByTestId('dossier-lookup'));
};

// Submission: procedure → form (a CCCD from the sim scanner) → review → consent → receipt.
const FORM = '2.000635';
const submitForm = async (page: Page) => {
  await tile('submit')(page);
  await tap(page.getByTestId(`procedure-${FORM}`));
  await shown(page, 'submit-fill');
};
/** The sim scanner reads a card, as if the citizen had held their CCCD under it. */
async function simulateScan(page: Page, text: string) {
  const result = await page.evaluate(async (scan) => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
    const res = await fetch('/api/call/scans.simulate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
      body: JSON.stringify({ input: { text: scan } }),
    });
    return res.json();
  }, text);
  expect(result.ok).toBe(true);
}
const submitScanned = async (page: Page) => {
  await submitForm(page);
  await tap(page.getByTestId('scan-cccd'));
  await expect(async () => {
    await simulateScan(page, CCCD);
    await expect(page.getByTestId('field-applicantName')).toHaveValue('Nguyễn Thị Ánh Tuyết', { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
};
/** The papers step (issue 16): the procedure's paper, before any page. */
const submitPapers = async (page: Page) => {
  await submitScanned(page);
  await fillRest(page, FORM, [
    'applicantName',
    'applicantId',
    'applicantBirthDate',
    'applicantSex',
    'applicantAddress',
  ]);
  await tap(page.getByTestId('submit-review'));
  await shown(page, 'submit-papers');
};
/** A scanned page shown large with "Chụp lại" / "Dùng ảnh này" (the simulator scanner). */
const submitPageCheck = async (page: Page) => {
  await submitPapers(page);
  await tap(page.getByTestId('papers-scan'));
  await shown(page, 'submit-page-check', 20_000);
};
const submitReview = async (page: Page) => {
  await submitPapers(page);
  await passPapers(page);
  await shown(page, 'submit-review-screen');
};
const submitConsented = async (page: Page) => {
  await submitReview(page);
  await tap(page.getByTestId('consent-box'));
  await expect(page.getByTestId('submit-send')).toBeEnabled();
};
/** The optional "Nhắn tin về hồ sơ" step after "Gửi hồ sơ" (docs/phone.md). */
const submitNotify = async (page: Page) => {
  await submitConsented(page);
  await tap(page.getByTestId('submit-send'));
  await shown(page, 'submit-notify');
};
const submitSent = (receipt: string) => async (page: Page) => {
  await submitConsented(page);
  await sendSkippingNotify(page);
  await shown(page, receipt, 30_000);
};

// Payment: a demo dossier with a fee still unpaid.
const UNPAID = DEMO_DOSSIERS.find((d) => d.fee > 0 && !d.paid)!;
const paymentConfirm = async (page: Page) => {
  await tile('payment')(page);
  await shown(page, 'keyboard-code');
  await typeOnScreen(page, UNPAID.code);
  await tap(page.getByTestId('payment-lookup'));
  await shown(page, 'payment-confirm');
};

// Rating: overall, then details (reasons when not satisfied), then thanks.
const ratingDetails = (overall: string) => async (page: Page) => {
  await tile('rating')(page);
  await tap(page.getByTestId(`rating-${overall}`));
  await shown(page, 'rating-details');
};

const officerPin = async (page: Page) => {
  // Five quick taps on the office name: the officer desk's discreet control.
  for (let i = 0; i < 5; i++) await page.getByTestId('office-name').dispatchEvent('pointerdown');
  await shown(page, 'officer-pin');
};

const officerDesk = async (page: Page) => {
  await officerPin(page);
  for (const d of OFFICER_PIN) await tap(page.getByTestId(`pin-${d}`));
  await tap(page.getByTestId('pin-open'));
  await shown(page, 'officer-desk');
};

const techPin = async (page: Page) => {
  // Press and hold the emblem corner for three seconds.
  await page.getByTestId('tech-corner').dispatchEvent('pointerdown');
  await page.clock.runFor(3_100);
  await shown(page, 'tech-pin');
};

export const screenVisits: ScreenVisit[] = [
  // Each tile's label, a pause, its hint: never run together.
  {
    name: 'home',
    visit: async () => {},
    spoken:
      /Xin chào! Quý khách cần làm gì\?.*Các lựa chọn: Lấy số thứ tự: Nhận số để chờ đến lượt\. Tra cứu thủ tục: /,
  },
  { name: 'ticket-offline', visit: tile('ticket'), spoken: /số thứ tự/i },
  { name: 'ticket-area', kiosk: 'online', visit: ticketAreas, spoken: /số thứ tự.*Các lựa chọn: .*Tư pháp/i },
  { name: 'ticket-service', kiosk: 'online', visit: ticketServices, spoken: /Tư pháp.*Hộ tịch/i },
  { name: 'ticket-priority', kiosk: 'online', visit: ticketPriority, spoken: /ưu tiên/i },
  { name: 'ticket-confirm', kiosk: 'online', visit: ticketConfirm, spoken: /Hộ tịch/i },
  // The ticket number is read out (issue 9): "A001"-like, after the title.
  { name: 'ticket-issued', kiosk: 'online', visit: ticketDone, spoken: /\b[A-Z]\d{3}\b/ },
  // "Nhắn tin khi sắp đến lượt" (issue 15): channel, keypad and consent on one screen.
  {
    name: 'ticket-notify',
    kiosk: 'online',
    visit: async (page) => {
      await ticketDone(page);
      await tap(page.getByTestId('ticket-notify-open'));
      await shown(page, 'ticket-notify');
    },
    spoken: /Zalo/,
  },
  // "Tôi đã đặt lịch hẹn" (issue 15): the booking code pad.
  {
    name: 'appointment-code',
    visit: async (page) => {
      await tap(page.getByTestId('home-appointment'));
      await shown(page, 'appointment');
    },
    spoken: /mã lịch hẹn/i,
  },
  {
    name: 'ticket-printer-failed',
    kiosk: 'no-printer',
    visit: async (page) => {
      await ticketDone(page);
      await shown(page, 'ticket-not-printed', 30_000);
    },
    spoken: /\b[A-Z]\d{3}\b/,
  },
  { name: 'procedures-offline', visit: tile('procedures'), spoken: /thủ tục/i },
  { name: 'procedures', kiosk: 'online', visit: procedures, spoken: /Tra cứu thủ tục/i },
  { name: 'procedures-search-keyboard', kiosk: 'online', visit: procedureSearch, spoken: /Tra cứu thủ tục/i },
  {
    name: 'procedures-search-typed',
    kiosk: 'online',
    visit: async (page) => {
      await procedureSearch(page);
      await page.locator('.osk [data-skbtn="{enter}"]').click();
    },
    // "Xong" reads the field and what was typed.
    spoken: /^Tìm thủ tục: khai sinh$/,
  },
  {
    name: 'procedures-field',
    kiosk: 'online',
    visit: async (page) => {
      await procedures(page);
      await tap(page.getByTestId('field-ho-tich'));
      await shown(page, 'procedure-browse');
    },
    spoken: /Tra cứu thủ tục/i,
  },
  {
    name: 'procedure-detail',
    kiosk: 'online',
    visit: async (page) => {
      await procedureSearch(page);
      await tap(page.getByTestId('procedure-row').first());
      await shown(page, 'procedure-name');
    },
    spoken: /Hướng dẫn thủ tục.*khai sinh/i,
  },
  {
    // The fees per channel, scrolled to as a citizen swipes the detail (large text once squeezed it to a word per line).
    name: 'procedure-fees',
    kiosk: 'online',
    visit: async (page) => {
      await procedureSearch(page);
      await tap(page.getByTestId('procedure-row').first());
      await shown(page, 'procedure-name');
      await page.getByTestId('procedure-channels').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    },
  },
  // The purpose, the field and what is in it; none of the code pad's key names.
  {
    name: 'dossier-entry',
    visit: dossierEntry,
    spoken: /^(?!.*(Xóa hết|Xong|Ẩn bàn phím|Mở bàn phím)).*Tra cứu tình trạng hồ sơ.*Mã hồ sơ: chưa nhập/,
  },
  {
    name: 'dossier-status',
    kiosk: 'online',
    visit: async (page) => {
      await lookUp(DEMO_DOSSIERS[1]!.code)(page);
      await shown(page, 'dossier-result');
    },
    // The status and the dossier's code are read out when the result appears.
    spoken: new RegExp(`Đang xử lý.*${DEMO_DOSSIERS[1]!.code.replace(/\./g, '\\.')}`),
  },
  {
    name: 'dossier-not-found',
    kiosk: 'online',
    visit: async (page) => {
      await lookUp('000.31.12.H12-251120-9999')(page);
      await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'unknown');
    },
    spoken: /Không tìm thấy hồ sơ/,
  },
  {
    name: 'dossier-offline',
    visit: async (page) => {
      await lookUp(DEMO_DOSSIERS[0]!.code)(page);
      await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'offline');
    },
    spoken: /mất kết nối/,
  },
  { name: 'submit-choose', visit: tile('submit'), spoken: /Nộp hồ sơ/ },
  { name: 'submit-form', visit: submitForm, spoken: /Các lựa chọn: .*Quét/ },
  { name: 'submit-form-scanned', visit: submitScanned, spoken: /Đã điền thông tin từ thẻ Căn cước/ },
  {
    name: 'submit-validation',
    visit: async (page) => {
      await submitForm(page);
      await tap(page.getByTestId('submit-review'));
      await shown(page, 'form-summary');
    },
    spoken: /Vui lòng (điền|chọn)/,
  },
  { name: 'submit-papers', visit: submitPapers, spoken: /Giấy tờ kèm theo/ },
  { name: 'submit-page-check', visit: submitPageCheck, spoken: /Chụp lại/ },
  { name: 'submit-review', visit: submitReview, spoken: /Xem lại hồ sơ/ },
  { name: 'submit-consented', visit: submitConsented, spoken: /Xem lại hồ sơ/ },
  { name: 'submit-notify', kiosk: 'online', visit: submitNotify, spoken: /Nhắn tin về hồ sơ/ },
  // The receipt's key facts are read out (issue 9): the provisional number offline, the dossier code online.
  { name: 'submit-receipt-provisional', visit: submitSent('receipt-provisional'), spoken: /Số tạm: T\d{1,3}-\d{6}/ },
  {
    name: 'submit-receipt-final',
    kiosk: 'online',
    visit: submitSent('receipt-final'),
    spoken: /Mã hồ sơ: \d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}/,
  },
  { name: 'payment-enter', visit: tile('payment'), spoken: /Thanh toán lệ phí/ },
  { name: 'payment-confirm', kiosk: 'online', visit: paymentConfirm, spoken: /Số tiền: [\d.]+\s*(đ|₫|đồng)/ },
  {
    name: 'payment-vietqr',
    kiosk: 'online',
    visit: async (page) => {
      await paymentConfirm(page);
      await tap(page.getByTestId('payment-pay'));
      await shown(page, 'payment-qr');
      await shown(page, 'payment-countdown');
    },
    spoken: /[\d.]+\s*(đ|₫|đồng)/,
  },
  {
    name: 'payment-wait-warning',
    kiosk: 'online',
    visit: async (page) => {
      await paymentConfirm(page);
      await tap(page.getByTestId('payment-pay'));
      await shown(page, 'payment-qr');
      // The wait's last minute (it is not an idle time-out: no assisted ×10 here).
      await page.clock.runFor(241_000);
      await shown(page, 'payment-warn');
    },
    spoken: /Sắp hết thời gian chờ/,
  },
  { name: 'rating-choose', visit: tile('rating'), spoken: /Đánh giá sự hài lòng.*Các lựa chọn/ },
  { name: 'rating-low-reasons', visit: ratingDetails('dissatisfied'), spoken: /Vì sao Quý khách chưa hài lòng/ },
  {
    name: 'rating-thanks',
    visit: async (page) => {
      await ratingDetails('very_satisfied')(page);
      await tap(page.getByTestId('rating-send'));
      await shown(page, 'rating-thanks');
    },
    spoken: /Cảm ơn/,
  },
  { name: 'officer-pin', visit: officerPin, spoken: /Bàn cán bộ.*PIN/ },
  // The desk fills the screen: the accessibility bar stays at the bottom, not mid-screen (issue 20, item 4).
  { name: 'officer-desk', kiosk: 'online', visit: officerDesk },
  { name: 'technician-pin', visit: techPin },
  {
    name: 'idle-warning',
    visit: async (page) => {
      await tap(page.getByTestId('tile-rating'));
      await page.clock.runFor(31_000);
      // Large text and speech make the session ten times longer.
      if (!(await page.getByTestId('idle-warning').isVisible())) await page.clock.runFor(270_000);
      await expect(page.getByTestId('idle-warning')).toBeVisible();
    },
    spoken: /thêm thời gian/i,
  },
];
