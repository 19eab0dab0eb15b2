/** Texts of the admin's action log page (see texts.ts). */
const nl = {
  'actions.title': 'Actielogboek',
  'actions.intro': 'Elke wijziging in het beheer, via de API of met de opdrachtregel: wie, wat, wanneer en op welk object. Contacten staan erin met hun id, nooit met hun adres.',
  'actions.when': 'Wanneer',
  'actions.who': 'Wie',
  'actions.what': 'Wat',
  'actions.object': 'Object',
  'actions.status': 'Status',
  'actions.actor.user': 'gebruiker',
  'actions.actor.api_key': 'API-sleutel',
  'actions.actor.cli': 'opdrachtregel',
  'actions.actor.system': 'systeem',
  'actions.empty': 'Er is nog niets gewijzigd.',
};

const en: Record<keyof typeof nl, string> = {
  'actions.title': 'Action log',
  'actions.intro': 'Every change made in the admin app, through the API or on the command line: who, what, when and on which object. Contacts appear by id, never by address.',
  'actions.when': 'When',
  'actions.who': 'Who',
  'actions.what': 'What',
  'actions.object': 'Object',
  'actions.status': 'Status',
  'actions.actor.user': 'user',
  'actions.actor.api_key': 'API key',
  'actions.actor.cli': 'command line',
  'actions.actor.system': 'system',
  'actions.empty': 'Nothing has been changed yet.',
};

export const actionsTexts = { nl, en };
