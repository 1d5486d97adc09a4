import type { scan as vi } from '../vi/scan.ts';

export const scan: Record<keyof typeof vi, string> = {
  'scan.camera.label': 'Camera QR reader',
  'scan.camera.starting': 'Opening the camera…',
  'scan.camera.scanning': 'Hold the QR code inside the frame and keep it still for a moment.',
  'scan.camera.read': 'Code read.',
  'scan.camera.denied': 'The camera could not be opened. Please use the scanner or ask an officer.',
  'scan.camera.unavailable': 'This kiosk has no camera. Please use the scanner.',
};
