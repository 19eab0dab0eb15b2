/**
 * Handler of the dashboard (access in routes.ts): one service call (services/admin/dashboard.ts), one view.
 */
import { dashboard } from '../../../services/admin/dashboard.js';
import type { AdminHandler } from '../handler.js';
import { dashboardPage } from './dashboard.view.js';

/** GET /admin */
export const dashboardShow: AdminHandler = async (a) => dashboardPage(a, await dashboard(a.deps));
