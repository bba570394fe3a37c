import { describe, expect, it } from 'vitest';
import { escapeXml, sealSvg } from './seal-image.js';

describe('the seal picture keeps names as text', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\u0008\u000b\ufffe\ud800ok\t`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;ok\t');
    const svg = sealSvg({ name: '<script>"&\u0001', purpose: '专用章' });
    expect(svg).not.toMatch(/[\u0000-\u0008]/);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('<title>&lt;script&gt;&quot;&amp; 专用章</title>');
    expect([...svg.matchAll(/<([a-z]+)/g)].map((m) => m[1]).filter((e) => !['svg', 'title', 'circle', 'path', 'g', 'text'].includes(e!))).toEqual([]);
  });
});
