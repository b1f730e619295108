import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';

/** The help centre's categories in their order, each with its public articles. */
const helpCentre: { category: string; articles: { title: string; body: string }[] }[] = [
  {
    category: 'Your customer portal',
    articles: [
      {
        title: 'Signing in without a password',
        body: `Enter the email address we write to you at and choose **Send me a sign-in link**. We email you a link that works once, for 15 minutes.

- No email? Look in your spam folder, and check that it is the address on your letters.
- A business customer? Use the address your company gave us for you as its contact.`,
      },
      {
        title: 'Finding a letter we sent you',
        body: `Your inbox in the portal holds everything we sent you, newest first: letters, emails, text messages and portal messages, exactly as sent.

Open a letter to read it in the page, or download it as a PDF for your records.`,
      },
      {
        title: 'Complaining about a letter',
        body: `Open the letter in your inbox and choose **Complain about this**. Tell us what is wrong in your own words; you can attach a photo or a document.

Because the complaint names the letter, we see exactly what you received, and we answer within five working days.`,
      },
    ],
  },
  {
    category: 'Contact and privacy',
    articles: [
      {
        title: 'Choosing how we contact you',
        body: `Under **Settings** you put the ways we may reach you in order: email, text message, the portal or a letter. We use the first one that works.

Set **quiet hours** if you do not want text messages or emails at night; we send them when the quiet hours end.`,
      },
      {
        title: 'Stopping our newsletter',
        body: `Every newsletter email has an **Unsubscribe** link at the bottom: one click and we stop, no sign-in needed.

You can also withdraw or give consent for each channel under **Settings** in the portal. Letters we must send you by law, such as price changes, still reach you.`,
      },
    ],
  },
  {
    category: 'Meter and bills',
    articles: [
      {
        title: 'Sending us your meter reading',
        body: `Read the number on your meter from left to right, without the digits after the comma, and send it to us within the week we ask for it.

Readings you send help us bill what you used rather than an estimate.`,
      },
      {
        title: 'Reading your annual statement',
        body: `Your annual statement compares what you used in the year with the instalments you paid.

- **Credit**: you paid more than you used; we pay it back within two weeks.
- **Balance due**: you used more; we collect it with your next instalment.`,
      },
    ],
  },
];

/** Categories and published articles for the help centre, as a manager would write them. */
export async function seedDemoHelpCentre(app: App, manager: Actor) {
  const { knowledgeCategories, knowledgeArticles } = app.services;
  for (const [position, { category, articles }] of helpCentre.entries()) {
    const { id: categoryId } = await knowledgeCategories.create(manager, { name: category, position });
    for (const { title, body } of articles) {
      const article = await knowledgeArticles.create(manager, {
        title,
        body,
        categoryId,
        visibility: 'public',
        tags: [],
        changeNote: '',
      });
      await knowledgeArticles.act(manager, article.id, 'publish');
    }
  }
}
