// A generated corpus for RAG tests and benches: documents on one of 50 topics (each its own
// vocabulary, so similar documents really are similar), with a tenant (20 values: a filter on one
// admits ~5% of rows, the hard case for ANN indexes) and a date between 2015 and 2024.

const TOPICS = 50;
const TOPIC_WORDS = 12;
const SHARED = (
  'the a of and to in for on with as by at from this that report team quarter data system ' +
  'result plan review update customer product market service process value'
).split(' ');

/** A small deterministic PRNG (mulberry32): the same seed, the same corpus. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'po', 'qu', 'de'];
function topicWord(topic: number, i: number): string {
  const n = topic * TOPIC_WORDS + i;
  return `${syllables[n % 12]}${syllables[Math.floor(n / 12) % 12]}${syllables[Math.floor(n / 144) % 12]}${n}`;
}

export interface CorpusDoc {
  index: number;
  topic: number;
  tenant: string;
  date: string;
  text: string;
}

export function corpusDoc(index: number, words = 120): CorpusDoc {
  const random = prng(index * 7919 + 13);
  const topic = index % TOPICS;
  const parts: string[] = [];
  for (let w = 0; w < words; w += 1) {
    parts.push(
      random() < 0.6
        ? topicWord(topic, Math.floor(random() * TOPIC_WORDS))
        : (SHARED[Math.floor(random() * SHARED.length)] as string),
    );
    if (w % 15 === 14) {
      parts[parts.length - 1] += '.';
    }
  }
  const year = 2015 + (index % 10);
  const month = String(1 + (index % 12)).padStart(2, '0');
  return {
    index,
    topic,
    // Drawn, not derived from the index: independent of the topic and spread over 20 values
    // for any number of documents.
    tenant: `t${Math.floor(prng(index * 31 + 5)() * 20)}`,
    date: `${year}-${month}-15`,
    text: parts.join(' '),
  };
}

/** A query about one topic: a few of its words and some shared ones. */
export function corpusQuery(seed: number): { text: string; topic: number } {
  const random = prng(seed * 104729 + 7);
  const topic = Math.floor(random() * TOPICS);
  const words = Array.from({ length: 6 }, () =>
    random() < 0.7
      ? topicWord(topic, Math.floor(random() * TOPIC_WORDS))
      : (SHARED[Math.floor(random() * SHARED.length)] as string),
  );
  return { text: words.join(' '), topic };
}

export function dataUrl(text: string): string {
  return `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
}
