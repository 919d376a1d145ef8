// A reply streamed token by token (through a stand-in: the real Orcheo sends each reply whole):
// only the tail of the reply is drawn again as deltas arrive, parts already complete keep their
// DOM nodes, and the finished reply is the same DOM as the same reply sent in one piece.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, embedTag, gotoHtml, openPage, say, suiteBrowser, widgetReady } from './lib/harness.mjs';
import { streamingBackend } from './lib/faults.mjs';

const suite = suiteBrowser();

const REPLY = Array.from({ length: 12 }, (_, n) => `## Part ${n + 1}\n\nParagraph ${n + 1} with **bold**, \`code\` and a [link](https://example.com/${n}).\n\n\`\`\`js\nconst part = ${n + 1};\n\`\`\`\n\n- item ${n + 1}.1\n- item ${n + 1}.2\n`).join('\n');

async function chat(backend, file) {
  const opened = await openPage(suite.browser);
  await gotoHtml(opened.page, file, embedTag({ backend: `http://127.0.0.1:${backend.address().port}`, workflow: '00000000-0000-4000-8000-000000000002', open: 'true' }));
  await widgetReady(opened.page);
  await say(opened.page, 'stream please');
  return opened;
}

/** The reply's markdown DOM, once it is complete (its Copy button shows then). */
async function finished(page) {
  const reply = articles(page, 'assistant');
  await reply.getByRole('button', { name: 'Copy', exact: true }).waitFor();
  return reply.locator('.bubble').evaluate((bubble) => bubble.innerHTML);
}

test('a streamed reply redraws only its tail, and ends as the same DOM as the reply sent whole', async () => {
  const streamed = await streamingBackend({ reply: REPLY, deltas: 1200, batches: 4, paced: true });
  const whole = await streamingBackend({ reply: REPLY, deltas: 1 });
  try {
    const { page, problems, context } = await chat(streamed, 'stream-deltas.html');
    streamed.release();
    const first = articles(page, 'assistant').locator('.chunk').first();
    await first.getByRole('heading', { name: 'Part 1' }).waitFor();
    const firstNode = await first.elementHandle();
    const before = await articles(page, 'assistant').locator('.chunk').count();
    for (let batch = 1; batch < 4; batch += 1) streamed.release();
    const streamedDom = await finished(page);
    assert.ok((await articles(page, 'assistant').locator('.chunk').count()) > before, 'more chunks arrived');
    assert.ok(await firstNode.evaluate((node) => node.isConnected && node === node.parentElement.querySelector('.chunk')), 'the first chunk kept its node while the rest streamed');
    assert.deepEqual(problems, []);
    await context.close();

    const sent = await chat(whole, 'stream-whole.html');
    assert.equal(await finished(sent.page), streamedDom, 'the same DOM either way');
    await sent.context.close();
  } finally {
    streamed.close();
    whole.close();
  }
});
