// Chooses the browser once for the whole run (see e2e/browser.ts) and hands the choice to the
// workers through the environment they start with.
import { CHOICE_ENV, findBrowser, machineProbe } from './browser';

export default async function globalSetup() {
  const choice = await findBrowser(machineProbe());
  console.log(`[e2e] browser: ${choice.description}`);
  process.env[CHOICE_ENV] = JSON.stringify(choice.launch);
}
