import "server-only";
export { DEMO_SPEND_MINOR } from "./demo-spend";
export { demoSpendEnabled, spendCredits } from "./spend";
export { runCreditSweep } from "./credit-sweep";
export { commitUserReservation, createReservation, getUserReservation, releaseUserReservation } from "./reservations";
export { type SpendingControls, getSpendingControls, updateSpendingControls } from "./limits";
