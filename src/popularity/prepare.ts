import type { Popularity, PopularitySource } from './popularity.js';
import type { NameSuggestion } from '../model/finding-details.js';
import { suggestPackages } from './suggest.js';
import type { SquatCandidate } from './typosquat.js';

/** What the checks will ask about one package, declared by the checks themselves (checks/index.ts). */
export interface PopularityQuestions {
  name: string;
  /** The squat candidates of `name`. */
  candidates?: boolean;
  /** Names whose monthly downloads will be read. */
  downloads?: readonly string[];
  /** "Did you mean" for `name`. */
  suggestions?: boolean;
}

/** Popularity answered ahead of the checks: reading it never touches the index, the memo or the network. */
export interface PreparedPopularity extends Popularity {
  suggest(name: string): NameSuggestion[];
}

/**
 * Asks `source` (which loads the index and reads its memo on demand) every question the checks
 * declared, so that the checks then read answers only. Asking for an answer nobody prepared is a
 * check whose declaration is out of date: it throws rather than judging the name on no evidence.
 */
export function preparePopularity(
  source: PopularitySource,
  questions: readonly PopularityQuestions[],
): PreparedPopularity {
  const candidates = new Map<string, SquatCandidate[]>();
  const downloads = new Map<string, ReturnType<Popularity['downloads']>>();
  const suggestions = new Map<string, NameSuggestion[]>();
  for (const q of questions) {
    if (q.candidates && !candidates.has(q.name)) candidates.set(q.name, source.squatCandidates(q.name));
    for (const name of q.downloads ?? []) if (!downloads.has(name)) downloads.set(name, source.downloads(name));
    if (q.suggestions && !suggestions.has(q.name)) {
      const index = source.index();
      suggestions.set(
        q.name,
        index ? suggestPackages(q.name, index).map((s) => ({ name: s.name, downloads: s.downloads })) : [],
      );
    }
  }
  const answer = <T>(answers: ReadonlyMap<string, T>, what: string, name: string): T => {
    const found = answers.get(name);
    if (found === undefined)
      throw new Error(`internal error: the ${what} of ${name} were not prepared before the checks ran`);
    return found;
  };
  return {
    squatCandidates: (name) => answer(candidates, 'squat candidates', name),
    downloads: (name) => answer(downloads, 'downloads', name),
    suggest: (name) => answer(suggestions, 'suggestions', name),
  };
}
