/** Line icons drawn for the kiosk (no icon font, no network). Decorative: labels carry meaning. */
const paths: Record<string, string> = {
  ticket: 'M4 7h16v3a2 2 0 0 0 0 4v3H4v-3a2 2 0 0 0 0-4zM9 7v10',
  procedures: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  // A paper with a magnifier over it: looking a dossier up (not a zoom-out "−" magnifier).
  dossier: 'M13 21H5V3h9l4 4v4M14 3v4h4M8 9h5M8 13h3M16 12.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 0 0 0-7zM18.6 18.1l3 3',
  submit: 'M4 4h12l4 4v12H4zM12 10v7M9 13l3-3 3 3',
  payment: 'M3 6h18v12H3zM3 10h18M7 15h4',
  rating: 'M12 3l2.6 5.6 6.1.7-4.5 4.1 1.2 6L12 16.4 6.6 19.4l1.2-6-4.5-4.1 6.1-.7z',
  home: 'M3 11l9-8 9 8M5 10v10h5v-6h4v6h5V10',
  back: 'M15 5l-7 7 7 7',
  online: 'M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M12 19.5h.01',
  offline: 'M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M3 3l18 18',
  text: 'M4 20l5-14h2l5 14M6.5 14h7M17 20l2.5-7h1L23 20',
  // A person with a raised hand in front of a queue line: a priority ticket.
  priority: 'M9 4a2 2 0 1 0 0 4a2 2 0 0 0 0-4zM6 21v-7l-2-1 1-4h8l1 4-2 1v7M14 9l4-5M17 13h4M17 17h4M17 21h4',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18zM12 7v5l3 3',
  speaker: 'M4 9h4l5-4v14l-5-4H4zM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 4l13 8-13 8z',
  repeat: 'M4 12a8 8 0 0 1 14-5.3M20 4v4h-4M20 12a8 8 0 0 1-14 5.3M4 20v-4h4',
  contrast: 'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18zM12 3v18',
};

export type IconName = keyof typeof paths;

export function Icon({ name, size = 48 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
