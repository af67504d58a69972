import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { compileQuery, matchQuery } from '../../src/core/query/index.js';

const { config } = loadConfig({ env: {}, cwd: fileURLToPath(new URL('../../', import.meta.url)) });

function watchesMatching(title: string, summary = ''): string[] {
  const item = {
    title,
    summary,
    link: 'https://news.example.org/story',
    author: null,
    categories: [],
    feedTitle: 'Example Wire',
  };
  return config.watches
    .filter((watch) => matchQuery(compileQuery(watch.query), item).matched)
    .map((watch) => watch.name);
}

// The example watches in config/wirewatch.yaml are what a newcomer sees first: they must catch the stories
// they are named after and stay quiet on look-alikes.
describe('the example watches of the default configuration', () => {
  it('catch the NATO / South Korea / Ukraine wire story', () => {
    const matched = watchesMatching(
      'NATO’s chief urges South Korea to send more military support to Ukraine',
      'The alliance’s secretary general said Seoul should consider supplying weapons and ammunition to Kyiv.',
    );
    expect(matched).toEqual(['nato', 'korea', 'ukraine-support']);
  });

  it('catch arms-control stories', () => {
    expect(
      watchesMatching('New sanctions target missile exports', 'Officials announced export controls.'),
    ).toEqual(['arms-policy']);
    expect(watchesMatching('Ukrainian forces receive new air defense systems')).toEqual(['ukraine-support']);
  });

  it('stay quiet on look-alikes', () => {
    expect(watchesMatching('Senator Smith spoke about the farm bill')).toEqual([]);
    expect(watchesMatching('Arm injury keeps striker out of the cup final')).toEqual([]);
    expect(watchesMatching('Ukraine wins Eurovision song contest')).toEqual([]);
  });
});
