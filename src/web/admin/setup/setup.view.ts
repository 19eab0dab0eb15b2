/**
 * The first-run set-up page (/admin/setup?token=…): the organisation, its first newsletter and the owner's
 * sign-in; only the owner when `consentry init` ran before.
 */
import { html } from '../../html.js';
import { checkboxField, errorSummary, field, postForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

/** The set-up form. `token` comes from the printed link and goes back with the form. */
export function setupPage(a: AdminCtx, opts: { token: string; needsOrganisation: boolean }, state: FormState): string {
  const organisation = opts.needsOrganisation
    ? html`<fieldset><legend>${a.t('setup.organisation')}</legend>
${field(a, state, { name: 'org_name', label: a.t('setup.orgName'), required: true, autocomplete: 'organization', hint: a.t('setup.orgNameHint') })}
${field(a, state, { name: 'address', label: a.t('setup.address'), type: 'textarea', required: true, hint: a.t('setup.addressHint') })}
${field(a, state, { name: 'reply_to', label: a.t('setup.replyTo'), type: 'email', required: true, hint: a.t('setup.replyToHint') })}
${field(a, state, { name: 'from_address', label: a.t('setup.from'), type: 'email', required: true, hint: a.t('setup.fromHint') })}
${field(a, state, { name: 'kvk', label: a.t('setup.kvk') })}
</fieldset>
<fieldset><legend>${a.t('setup.purpose')}</legend>
<p class="hint">${a.t('setup.purposeIntro')}</p>
${field(a, state, { name: 'purpose_nl', label: a.t('setup.purposeNl'), required: true })}
${field(a, state, { name: 'purpose_en', label: a.t('setup.purposeEn'), required: true })}
${field(a, state, { name: 'description_nl', label: a.t('setup.descriptionNl'), required: true })}
${field(a, state, { name: 'description_en', label: a.t('setup.descriptionEn'), required: true })}
${field(a, state, { name: 'frequency_nl', label: a.t('setup.frequencyNl') })}
${field(a, state, { name: 'frequency_en', label: a.t('setup.frequencyEn') })}
</fieldset>
<fieldset><legend>${a.t('setup.recipients')}</legend>
<p class="hint">${a.t('setup.recipientsIntro')}</p>
<div class="two">
${field(a, state, { name: 'mail_provider', label: a.t('setup.mailProvider'), hint: a.t('setup.mailProviderHint') })}
${field(a, state, { name: 'mail_provider_country', label: a.t('setup.mailProviderCountry'), hint: a.t('setup.mailProviderCountryHint') })}
</div>
${checkboxField(a, state, { name: 'recipients_none', label: a.t('setup.recipientsNone') })}
${checkboxField(a, state, { name: 'transfers_none', label: a.t('setup.transfersNone') })}
</fieldset>`
    : '';
  return adminPage(
    a,
    a.t('setup.title'),
    html`<div class="card narrow">
<p>${opts.needsOrganisation ? a.t('setup.intro') : a.t('setup.introOwnerOnly')}</p>
${errorSummary(a, state)}
${postForm(
  a,
  `/admin/setup?token=${encodeURIComponent(opts.token)}`,
  html`${organisation}
<fieldset><legend>${a.t('setup.owner')}</legend>
${field(a, state, { name: 'email', label: a.t('setup.email'), type: 'email', required: true, autocomplete: 'username' })}
${field(a, state, { name: 'password', label: a.t('setup.password'), type: 'password', required: true, autocomplete: 'new-password', hint: a.t('setup.passwordHint'), secret: true })}
</fieldset>
<div class="actions"><button type="submit">${a.t('setup.submit')}</button></div>`,
)}
</div>`,
  );
}
