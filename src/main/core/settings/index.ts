// The settings feature as other folders see it: the owner's preferences (settings.repo.ts owns
// the settings table), the settings.* handlers, and each company's payment details (read into
// every draft's facts) with their paymentDetails.* handlers. Import settings through this file only.
export { getSetting, getSettings, setSetting, setSettings } from './settings.repo';
export { settingsHandlers } from './settings.handlers';
export { forgetPaymentDetails, paymentDetailsHandlers, readPaymentDetails } from './payment-details';
