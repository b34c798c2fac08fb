/** What the wallet page's demo button spends: £0.50 in GBP, 50 minor units in any currency. (Its own module: the spend benchmark reads it without the server code.) */
export const DEMO_SPEND_MINOR = 50;
