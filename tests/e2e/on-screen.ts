import type { Locator, Page } from "@playwright/test";

/**
 * Text, label and test-id queries that only match what is on screen.
 *
 * After a document load, React 19.2 can hold a streamed Suspense boundary's content twice for up to
 * ~300 ms: the client-rendered copy and the server's still-hidden `<div hidden id="S:…">` segment
 * (react#37014). Users never see the hidden copy, but Playwright's strict mode fails at once on the
 * second match instead of retrying. Role queries already skip hidden elements; these do the same.
 */
export interface Screen {
  getByText: (...args: Parameters<Page["getByText"]>) => Locator;
  getByLabel: (...args: Parameters<Page["getByLabel"]>) => Locator;
  getByTestId: (...args: Parameters<Page["getByTestId"]>) => Locator;
}

export function onScreen(scope: Page | Locator): Screen {
  return {
    getByText: (...args) => scope.getByText(...args).filter({ visible: true }),
    getByLabel: (...args) => scope.getByLabel(...args).filter({ visible: true }),
    getByTestId: (...args) => scope.getByTestId(...args).filter({ visible: true }),
  };
}
