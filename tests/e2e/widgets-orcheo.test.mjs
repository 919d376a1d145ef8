// Orcheo's own widget templates (examples/chatkit_widgets/widgets/ in its repository), rendered
// by the real Orcheo from a workflow the way its agent node renders them
// (scripts/lib/orcheo/workflows/choices.py stands in for the model's tool call).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
const attrs = { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_CHOICES, open: 'true' };

/** The ChatKit request bodies the page sends, as they go. */
function chatkitBodies(page) {
  const bodies = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/chatkit') && request.method() === 'POST') bodies.push(request.postDataJSON());
  });
  return bodies;
}

test('the Multi-choice Selector keeps its layout, a tick reaches the workflow as choices.toggle, the count and the limit follow, and the choice survives reloads', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'choices.html', attrs);
  const bodies = chatkitBodies(page);
  await say(page, 'What can I pick?');
  const card = articles(page, 'widget').last();
  const counter = card.getByText('2/3 selected', { exact: true });
  await counter.waitFor();
  // The row: the caption at the start, a spacer, the counter at the end, in the emphasis colour.
  const row = card.locator('.w-box[data-dir="row"]').first();
  const [rowBox, counterBox, captionBox] = await Promise.all([row.boundingBox(), counter.boundingBox(), card.getByText('Select up to 3').boundingBox()]);
  assert.ok(Math.abs(rowBox.x + rowBox.width - (counterBox.x + counterBox.width)) < 2, 'the counter ends where its row ends');
  assert.ok(Math.abs(captionBox.y - counterBox.y) < 2, 'side by side');
  const colors = await Promise.all([counter, card.getByText('Select up to 3')].map((text) => text.evaluate((el) => getComputedStyle(el).color)));
  assert.notEqual(colors[0], colors[1], 'emphasis is not the caption colour');
  const title = await card.getByText('Pick your options').evaluate((el) => [getComputedStyle(el).fontSize, getComputedStyle(el).fontWeight]);
  assert.deepEqual(title, ['16px', '600'], 'Title size sm');
  const boxes = card.getByRole('checkbox');
  assert.equal(await boxes.count(), 6);
  assert.deepEqual(await boxes.evaluateAll((all) => all.map((box) => box.checked)), [true, true, false, false, false, false]);
  await card.screenshot({ path: screenshotPath('orcheo-multi-choice') });

  // A tick sends the toggle, with the form's values keyed as ChatKit keys them.
  await card.getByRole('checkbox', { name: 'Option 3' }).check();
  await card.getByText('3/3 selected', { exact: true }).waitFor();
  const toggle = bodies.find((body) => body.type === 'threads.custom_action');
  assert.equal(toggle.params.action.type, 'choices.toggle');
  assert.equal(toggle.params.action.payload.id, 'opt3');
  assert.deepEqual(toggle.params.action.payload.choices, { opt1: true, opt2: true, opt3: true, opt4: false, opt5: false, opt6: false });
  // The limit is reached: the options not picked are disabled, the picked ones are not.
  const disabled = async () => (await articles(page, 'widget').last().getByRole('checkbox').evaluateAll((all) => all.map((box) => box.disabled)));
  assert.deepEqual(await disabled(), [false, false, false, true, true, true]);
  assert.equal(bodies.filter((body) => body.type === 'threads.custom_action').length, 1, 'one action per tick');

  // The server stored the update: a reload shows the same.
  await page.reload();
  await widgetReady(page);
  await articles(page, 'widget').last().getByText('3/3 selected', { exact: true }).waitFor();
  assert.deepEqual(await disabled(), [false, false, false, true, true, true]);

  // Submitting sends the picked options and the card that says so replaces the form, also
  // after a reload.
  await articles(page, 'widget').last().getByRole('button', { name: 'Submit' }).click();
  const picked = articles(page, 'widget').last().getByText('You picked: Option 1, Option 2, Option 3');
  await picked.waitFor();
  const submit = bodies.filter((body) => body.type === 'threads.custom_action').pop();
  assert.equal(submit.params.action.type, 'submit');
  assert.deepEqual(submit.params.action.payload, { max: 3, choices: { opt1: true, opt2: true, opt3: true, opt4: false, opt5: false, opt6: false } });
  await page.reload();
  await widgetReady(page);
  await articles(page, 'widget').last().getByText('You picked: Option 1, Option 2, Option 3').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the Single-choice list shows its options (one disabled) and sends the one picked', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'single.html', attrs);
  await say(page, 'single choice please');
  const card = articles(page, 'widget').last();
  const radios = card.getByRole('radio');
  await radios.first().waitFor();
  assert.deepEqual(await radios.evaluateAll((all) => all.map((radio) => [radio.value, radio.checked, radio.disabled])),
    [['A', true, false], ['B', false, false], ['C', false, false], ['D', false, true]]);
  assert.equal(await card.getByRole('radiogroup').getAttribute('aria-label'), 'choice');
  await card.screenshot({ path: screenshotPath('orcheo-single-choice') });
  await card.getByRole('radio', { name: 'Option B' }).check();
  await card.getByRole('button', { name: 'Submit' }).click();
  await articles(page, 'widget').last().getByText('You picked: B').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
