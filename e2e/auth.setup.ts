import { expect, test as setup } from "@playwright/test";
import { ADMIN_STATE, USER_STATE } from "./config";
import { signIn } from "./helpers";

// Signs the demo user and the demo admin in once; the other projects reuse the saved cookies.
setup("sign in the demo user", async ({ page }) => {
  await signIn(page, "demo@billfold.test", "billfold-demo");
  await expect(page.getByTestId("current-user")).toContainText("USER");
  await page.context().storageState({ path: USER_STATE });
});

setup("sign in the demo admin", async ({ page }) => {
  await signIn(page, "admin@billfold.test", "billfold-admin");
  await expect(page.getByTestId("current-user")).toContainText("ADMIN");
  await page.context().storageState({ path: ADMIN_STATE });
});
