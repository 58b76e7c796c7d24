// Settings → Email in Chromium against browser mode, with a real SMTP server (the smtp-server
// fake, started here on a free loopback port): fill in the server, save, store the password,
// "Send test email" shows success and the message arrives; a wrong password shows the server's
// own 535 error; plain text to another computer needs an explicit tick and stays flagged.
import { join } from 'node:path';
import { expect, openApp, test, withFakeSmtp } from './fixtures';

const USER = 'owner@mueller-soehne.example';
const PASSWORD = 'e2e-smtp-pass-3f9a1c';
const WRONG = 'e2e-smtp-wrong-8b2d7e';
const SHOTS = join(__dirname, 'screenshots');

const smtp = withFakeSmtp({ [USER]: PASSWORD });


test('set up SMTP, send a test email, and see the server refuse a wrong password', async ({ page, api }) => {
  await openApp(page, { expectQueue: false });
  await page.getByRole('button', { name: 'Settings' }).click();
  const email = page.getByRole('region', { name: 'Email' });
  await email.scrollIntoViewIfNeeded();
  await expect(email.getByRole('status').first()).toHaveText('Add your mail server (SMTP host).');

  await email.getByLabel('SMTP server').fill(smtp().host);
  await email.getByRole('radio', { name: 'None' }).click();
  // Switching modes moves the usual port along (587 → 25) until the owner types their own.
  await expect(email.getByLabel('Port')).toHaveValue('25');
  await email.getByLabel('Port').fill(String(smtp().port));
  // Plain text to this computer needs no consent.
  await expect(email.getByRole('checkbox')).toHaveCount(0);
  await email.getByLabel('User name').fill(USER);
  await email.getByLabel(/^Password/).fill(PASSWORD);
  await email.getByLabel('From name').fill('Müller & Söhne');
  await email.getByLabel('From address').fill(USER);
  await email.getByRole('button', { name: 'Save' }).click();
  await expect(email.getByText('Saved.')).toBeVisible();
  await expect(email.getByText('Password (stored in the keychain)')).toBeVisible();
  await expect(email.getByLabel(/^Password/)).toHaveValue('');

  const view = await api('email.get');
  expect(view).toMatchObject({ host: smtp().host, port: smtp().port, tls: 'none', user: USER, fromAddress: USER, fromName: 'Müller & Söhne', hasPassword: true, configured: true });
  expect(JSON.stringify(view)).not.toContain(PASSWORD);

  await email.getByRole('button', { name: 'Send test email' }).click();
  const result = email.getByTestId('email-test');
  await expect(result).toContainText(`Test email sent to ${USER}`);
  await expect(result).toContainText('The server said: 250');
  const [got] = await smtp().waitForMessages(1);
  expect(got!.envelope.to).toEqual([USER]);
  expect(got!.subject).toBe('Settle test email');
  expect(got!.from).toBe(`Müller & Söhne <${USER}>`);
  expect(got!.user).toBe(USER);

  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await email.screenshot({ path: join(SHOTS, 'email-settings-light.png') });

  // A wrong password: the test saves it first, then shows the server's own words.
  await email.getByLabel(/^Password/).fill(WRONG);
  await email.getByRole('button', { name: 'Send test email' }).click();
  await expect(result).toContainText('Sign-in refused');
  await expect(result).toContainText('535 Authentication failed');
  expect(smtp().messages).toHaveLength(1);
  expect(smtp().authFailures).toEqual([USER]);
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await email.screenshot({ path: join(SHOTS, 'email-settings-dark.png') });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });

  // The password is in no response and nowhere on the page.
  expect(await page.content()).not.toContain(WRONG);
  expect(JSON.stringify(await api('email.get'))).not.toContain(WRONG);

  // Keyboard: the test address field submits with Enter.
  await email.getByLabel(/^Password/).fill(PASSWORD);
  await email.getByRole('button', { name: 'Save' }).click();
  await expect(email.getByText('Saved.')).toBeVisible();
  await email.getByLabel('Send a test to').fill('me@elsewhere.example');
  await email.getByLabel('Send a test to').press('Enter');
  await expect(result).toContainText('Test email sent to me@elsewhere.example');
  expect((await smtp().waitForMessages(2))[1]!.envelope.to).toEqual(['me@elsewhere.example']);
});

test('plain text to another computer needs a tick and stays flagged', async ({ page }) => {
  await openApp(page, { expectQueue: false });
  await page.getByRole('button', { name: 'Settings' }).click();
  const email = page.getByRole('region', { name: 'Email' });
  await email.getByLabel('SMTP server').fill('mail.example.com');
  await email.getByRole('radio', { name: 'None' }).click();
  await email.getByLabel('From address').fill(USER);
  const consent = email.getByRole('checkbox', { name: /without encryption/ });
  await expect(consent).toBeVisible();
  await email.getByRole('button', { name: 'Save' }).click();
  await expect(email.getByRole('alert')).toContainText('mail.example.com');
  await consent.check();
  await email.getByRole('button', { name: 'Save' }).click();
  await expect(email.getByRole('note')).toContainText('unencrypted to mail.example.com');
  await email.getByRole('radio', { name: 'STARTTLS' }).click();
  await expect(email.getByLabel('Port')).toHaveValue('587');
  await email.getByRole('button', { name: 'Save' }).click();
  await expect(email.getByRole('note')).toHaveCount(0);
});
