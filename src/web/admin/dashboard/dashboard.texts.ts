/** Texts of the admin's dashboard pages (see texts.ts). */
const nl = {
};

const en: Record<keyof typeof nl, string> = {
};

export const dashboardTexts = { nl, en };
