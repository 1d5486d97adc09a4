/**
 * Forms are data: one schema per procedure, rendered by one form engine
 * (renderer/src/forms/FormEngine.dom.tsx) and validated by one validator (./engine.ts), the same
 * code in the renderer and in the kiosk service, so a form the screen would refuse is refused
 * at submission too.
 */
export interface Text2 {
  vi: string;
  en: string;
}

/** What a CCCD/MRZ scan can fill. */
export type AutofillKey = 'fullName' | 'idNumber' | 'birthDate' | 'sex' | 'address';

export type FieldType =
  /** One line of Vietnamese text. */
  | 'text'
  /** Several lines (addresses, reasons). */
  | 'textarea'
  /** dd/mm/yyyy as typed on the keypad. */
  | 'date'
  /** 12-digit personal ID number (số định danh cá nhân). */
  | 'id12'
  /** Vietnamese phone number, 10 digits starting with 0. */
  | 'phone'
  /** Whole number (copies, area in m², capital in VND). */
  | 'number'
  /** One of fixed options, chosen by touch. */
  | 'choice';

export interface FieldOption {
  value: string;
  label: Text2;
}

export interface FieldSchema {
  id: string;
  type: FieldType;
  label: Text2;
  help?: Text2;
  required: boolean;
  /** Max characters for text; defaults by type. */
  maxLength?: number;
  minLength?: number;
  /** For numbers. */
  min?: number;
  max?: number;
  /** For dates: must not be in the future (birth dates, issue dates). */
  notFuture?: boolean;
  /** For choice. */
  options?: FieldOption[];
  /** Filled from the ID card scan; the citizen can still correct it. */
  autofill?: AutofillKey;
  /** Only asked (and validated) when another field has one of these values. */
  when?: { field: string; in: string[] };
  /** A format rule beyond the type's own, with its own message key suffix. */
  pattern?: { regex: string; message: Text2 };
}

export interface SectionSchema {
  id: string;
  title: Text2;
  help?: Text2;
  fields: FieldSchema[];
}

export interface FormSchema {
  /** Code in the national procedure database (TTHC), e.g. 1.001193. */
  procedureCode: string;
  name: Text2;
  /** Lĩnh vực. */
  field: Text2;
  /** Fee in VND (0 = free); `feeNote` is shown verbatim (exemptions matter to citizens). */
  fee: number;
  feeNote?: Text2;
  /** The fee is per unit of this number field (e.g. per copy). */
  feePerField?: string;
  /** Time limit in working days (0 = same day). */
  processingDays: number;
  /** Documents to bring to the counter (originals/copies), shown on the review screen and the receipt. */
  documents: Text2[];
  /**
   * Papers the kiosk asks the citizen to digitise (scanner or camera), one PDF each (issue 16).
   * `optional`: the citizen may skip it ("Bỏ qua"), e.g. papers needed only in some cases.
   */
  attachments?: AttachmentSpec[];
  sections: SectionSchema[];
}

export interface AttachmentSpec {
  /** Stable id (lower-case, dashes): the PDF's name at central. */
  id: string;
  title: Text2;
  optional: boolean;
  /** Pages at most (default ATTACHMENT_LIMITS.maxPagesPerDocument). */
  maxPages?: number;
}

export type FormValues = Record<string, string>;

export type FieldErrorCode =
  | 'required'
  | 'tooLong'
  | 'tooShort'
  | 'date'
  | 'dateFuture'
  | 'id12'
  | 'phone'
  | 'number'
  | 'numberMin'
  | 'numberMax'
  | 'choice'
  | 'pattern';

export interface FieldError {
  field: string;
  code: FieldErrorCode;
  /** For messages: {min}, {max}, {length}. */
  params?: Record<string, number>;
}
