import type { ComponentType } from 'react';
import type { RouteProps } from './nav.tsx';
import { Home } from './screens/home/Home.tsx';
import { Submit } from './screens/submit/Submit.tsx';
import { Payment } from './screens/payment/Payment.tsx';
import { Rating } from './screens/rating/Rating.tsx';
import { TicketFlow } from './screens/ticket/TicketFlow.tsx';
import { Appointment } from './screens/ticket/Appointment.tsx';
import { OfficerDesk } from './screens/officer/OfficerDesk.tsx';
import { Procedures } from './screens/procedures/Procedures.tsx';
import { ProcedureDetail } from './screens/procedures/ProcedureDetail.tsx';
import { DossierStatus } from './screens/dossier/DossierStatus.tsx';

/** Every screen of the kiosk by route name; add yours here. */
export const routes: Record<string, ComponentType<RouteProps>> = {
  home: Home,
  submit: Submit,
  payment: Payment,
  rating: Rating,
  ticket: TicketFlow,
  appointment: Appointment,
  officer: OfficerDesk,
  procedures: Procedures,
  procedure: ProcedureDetail,
  dossier: DossierStatus,
};
