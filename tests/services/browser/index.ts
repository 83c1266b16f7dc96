/** The browser e2e harness in one import: service with the built dashboard, Chromium, pages, axe and screenshots. */
export { expectAccessible, runAxe, describeViolations } from './axe.ts';
export { launchChromium, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
export { ADMIN_PASSWORD, dashboardDist, startDashboardService, type DashboardService } from './dashboard-service.ts';
export { login, navigate, openDashboard, VIEWPORTS, type OpenedDashboard, type OpenOptions, type ViewportName } from './open-dashboard.ts';
export { expectNoHorizontalScroll, expectSameDocument, expectText, markDocument } from './expect-page.ts';
export { saveScreenshot, SCREENSHOT_DIR } from './screenshots.ts';
