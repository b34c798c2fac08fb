import "server-only";

export {
  autoRechargeLimits,
  defaultAutoRechargeSettings,
  getAutoRecharge,
  updateAutoRecharge,
  type AutoRechargeSettings,
  type CardOnFile,
} from "./settings";
export { cancelCardSetup, cardSetupReturnPath, CARD_SETUP_PURPOSE, completeCardSetup, isCardSetupSession, saveSetupCard, startCardSetup, type CardSetupOutcome, type StartedCardSetup } from "./card-setup";
export {
  failRecharge,
  isRechargePaymentIntent,
  rechargeIdempotencyKey,
  recordRechargeFailure,
  RECHARGE_PURPOSE,
  RETRY_WINDOW_MS,
  startPendingRecharges,
  type RechargeRun,
} from "./charge";
export { getAutoRechargeView, type AutoRechargeOff, type AutoRechargeView, type RechargeView } from "./queries";
export { completeCardSetupFromEvent } from "./card-setup";
