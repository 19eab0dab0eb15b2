/** Texts of the admin's account pages (see texts.ts). */
const nl = {
};

const en: Record<keyof typeof nl, string> = {
};

export const accountTexts = { nl, en };
