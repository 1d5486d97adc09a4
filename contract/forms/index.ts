import { birthRegistration } from './procedures/birth-registration.ts';
import { civilStatusCopy } from './procedures/civil-status-copy.ts';
import { householdBusiness } from './procedures/household-business.ts';
import { landInformation } from './procedures/land-information.ts';
import { temporaryResidence } from './procedures/temporary-residence.ts';
import type { FormSchema } from './types.ts';

export * from './types.ts';
export * from './engine.ts';

/** Every procedure the kiosk can take a dossier for, in the order the chooser shows them. */
export const FORMS: readonly FormSchema[] = [
  birthRegistration,
  civilStatusCopy,
  temporaryResidence,
  householdBusiness,
  landInformation,
];

export const formFor = (procedureCode: string): FormSchema | undefined =>
  FORMS.find((f) => f.procedureCode === procedureCode);
