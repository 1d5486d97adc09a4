import type { OfficerRole } from '../../protocol/counter.ts';
import { createOfficer } from '../officers.node.ts';
import type { CentralStore } from '../store/store.node.ts';

/** Demo officer accounts (`npm start`, `kioskctl central seed`): printed at start, never for the field. */
export const DEMO_OFFICERS: ReadonlyArray<{
  officeId: string;
  username: string;
  displayName: string;
  password: string;
  roles: OfficerRole[];
}> = [
  {
    officeId: 'ca-mau-an-xuyen',
    username: 'quantri.anxuyen',
    displayName: 'Trần Thị Quản Trị',
    password: 'quantri-2026',
    roles: ['admin', 'manager', 'counter'],
  },
  {
    officeId: 'ca-mau-an-xuyen',
    username: 'canbo1.anxuyen',
    displayName: 'Nguyễn Văn Một',
    password: 'motcua-2026',
    roles: ['counter'],
  },
  {
    officeId: 'ca-mau-an-xuyen',
    username: 'canbo2.anxuyen',
    displayName: 'Lê Thị Hai',
    password: 'motcua-2026',
    roles: ['counter'],
  },
  {
    officeId: 'ca-mau-dam-doi',
    username: 'canbo1.damdoi',
    displayName: 'Phạm Văn Đầm',
    password: 'motcua-2026',
    roles: ['counter'],
  },
];

/** Creates the demo officers that do not exist yet (idempotent). */
export async function seedDemoOfficers(store: CentralStore): Promise<typeof DEMO_OFFICERS> {
  for (const o of DEMO_OFFICERS) {
    const held = await store.get('SELECT id FROM officers WHERE username = ?', [o.username]);
    if (!held) await createOfficer(store, o);
  }
  return DEMO_OFFICERS;
}
