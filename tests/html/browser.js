#!/usr/bin/env node
/*
 * browser.js — the HTML edition in a real browser: Debian's chromium,
 * headless, driven by puppeteer-core, with axe-core run inside each page.
 *
 *   node browser.js [--shots DIR] FILE.html ...
 *
 * For every page it checks, and prints one line per failure:
 *  - axe-core at WCAG 2.0/2.1 A and AA: zero violations;
 *  - no request leaves the file (no fonts, styles or images from a
 *    network), and the page holds no script and no on* handler;
 *  - reflow (WCAG 1.4.10): at 320 CSS px, the same as 1280 px at 400%
 *    zoom, the page does not scroll sideways; only a table's own scroll
 *    box may, and it must be reachable by keyboard (tabindex) and named;
 *  - text spacing (WCAG 1.4.12): with the spacing the criterion names,
 *    still no sideways scroll at 1280 px.
 * With --shots it saves a full-page screenshot at 1280 and 320 px for a
 * person to look at (kept out of the repository).
 * Exit 0 when every page passes, 1 when any fails, 2 when the browser
 * cannot start.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function usage() {
	console.error('usage: browser.js [--shots DIR] FILE.html ...');
	process.exit(2);
}

/* build/html/blaby-2023/index.html -> blaby-2023-1280.png; a pack's
 * item-4.html -> pack-item-4-1280.png. */
function shotName(file, width) {
	const base = path.basename(file, '.html');
	return path.basename(path.dirname(file)) +
	    (base === 'index' ? '' : '-' + base) + '-' + width + '.png';
}

async function checkPage(browser, file, shots) {
	const fails = [];
	const url = 'file://' + path.resolve(file);
	const page = await browser.newPage();
	const outside = [];
	await page.setRequestInterception(true);
	page.on('request', (req) => {
		const u = req.url();
		if (u === url || u.startsWith('data:') || u.startsWith('about:')) {
			req.continue();
		} else {
			outside.push(u);
			req.abort();
		}
	});
	await page.setViewport({ width: 1280, height: 900 });
	await page.goto(url, { waitUntil: 'load' });
	for (const u of outside)
		fails.push(`requests ${u}: the edition must carry everything it needs`);

	const scripts = await page.evaluate(() => {
		const bad = [];
		document.querySelectorAll('script').forEach(() => bad.push('<script>'));
		document.querySelectorAll('*').forEach((e) => {
			for (const a of e.attributes)
				if (/^on/i.test(a.name))
					bad.push(`<${e.localName} ${a.name}>`);
		});
		return bad;
	});
	for (const s of scripts)
		fails.push(`holds ${s}: the edition needs no JavaScript`);

	if (shots)
		await page.screenshot({ path: path.join(shots,
		    shotName(file, 1280)), fullPage: true });

	await page.addScriptTag({ path: AXE });
	const res = await page.evaluate(async () => {
		/* global axe */
		const r = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa',
			    'wcag21a', 'wcag21aa'] },
			resultTypes: ['violations'],
		});
		return r.violations.map((v) => ({ id: v.id, impact: v.impact,
		    help: v.help, nodes: v.nodes.slice(0, 3).map((n) =>
		    n.target.join(' ')), count: v.nodes.length }));
	});
	for (const v of res)
		fails.push(`axe ${v.id} (${v.impact}, ${v.count} nodes): ${v.help}: ` +
		    v.nodes.join(', '));

	/* Text spacing, WCAG 1.4.12: line height 1.5, paragraphs 2em apart,
	 * letters 0.12em, words 0.16em. */
	const spaced = await page.evaluate(() => {
		const s = document.createElement('style');
		s.textContent = '* { line-height: 1.5 !important; ' +
		    'letter-spacing: 0.12em !important; ' +
		    'word-spacing: 0.16em !important; } ' +
		    'p { margin-bottom: 2em !important; }';
		document.head.appendChild(s);
		const w = document.documentElement.scrollWidth;
		s.remove();
		return w;
	});
	if (spaced > 1280)
		fails.push(`with WCAG 1.4.12 text spacing the page is ${spaced} px ` +
		    'wide at 1280 px: text must reflow');

	await page.setViewport({ width: 320, height: 640 });
	const reflow = await page.evaluate(() => {
		const out = { width: document.documentElement.scrollWidth,
		    boxes: [] };
		document.querySelectorAll('*').forEach((e) => {
			const cs = getComputedStyle(e);
			if (e.scrollWidth > e.clientWidth + 1 &&
			    (cs.overflowX === 'auto' || cs.overflowX === 'scroll')) {
				const named = e.getAttribute('aria-label') ||
				    e.getAttribute('aria-labelledby');
				if (e.tabIndex < 0 || !named)
					out.boxes.push(e.localName +
					    (e.id ? '#' + e.id : '') +
					    (e.className ? '.' + e.className : ''));
			}
		});
		return out;
	});
	if (reflow.width > 320)
		fails.push(`at 320 px the page is ${reflow.width} px wide: ` +
		    'it must reflow without scrolling sideways (WCAG 1.4.10)');
	for (const b of reflow.boxes)
		fails.push(`at 320 px ${b} scrolls but has no tabindex and ` +
		    'name: a keyboard user cannot reach what it hides');
	if (shots)
		await page.screenshot({ path: path.join(shots,
		    shotName(file, 320)), fullPage: true });
	await page.close();
	return fails;
}

async function main() {
	const args = process.argv.slice(2);
	let shots = null;
	if (args[0] === '--shots') {
		shots = args[1];
		args.splice(0, 2);
		if (!shots)
			usage();
		fs.mkdirSync(shots, { recursive: true });
	}
	if (args.length === 0)
		usage();
	let browser;
	try {
		browser = await puppeteer.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ['--no-sandbox', '--disable-gpu',
			    '--no-first-run', '--disable-extensions'],
		});
	} catch (e) {
		console.error(`browser.js: cannot start ${CHROMIUM}: ${e.message}`);
		process.exit(2);
	}
	let bad = 0;
	for (const f of args) {
		let fails;
		try {
			fails = await checkPage(browser, f, shots);
		} catch (e) {
			fails = [`cannot be checked: ${e.message}`];
		}
		if (fails.length === 0) {
			console.log(`ok ${f}`);
		} else {
			bad++;
			for (const m of fails)
				console.log(`FAIL ${f}: ${m}`);
		}
	}
	await browser.close();
	process.exit(bad ? 1 : 0);
}

main();
