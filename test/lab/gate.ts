import { describe, it } from 'vitest';
import { labUnavailableReason } from './requirements.ts';

/** Why lab tests cannot run here (null when they can). */
export const labSkipReason = await labUnavailableReason();

/** CI (.ci/run) sets PSW_REQUIRE_LAB=1: there a lab that cannot run is a failure, not a skip. */
export const labRequired = process.env.PSW_REQUIRE_LAB === '1';

/**
 * `describe` for tests that need the network lab. Where the lab cannot run, the suite is skipped
 * with the reason in its name — or, with PSW_REQUIRE_LAB=1, replaced by one failing test.
 */
export function describeLab(name: string, body: () => void): void {
  if (labSkipReason === null) {
    describe(name, body);
  } else if (labRequired) {
    describe(name, () => {
      it('needs the network lab (PSW_REQUIRE_LAB=1)', () => {
        throw new Error(`PSW_REQUIRE_LAB=1, but the network lab cannot run here: ${labSkipReason}`);
      });
    });
  } else {
    console.warn(`[lab] skipping "${name}": ${labSkipReason}`);
    describe.skip(`${name} — skipped: ${labSkipReason}`, body);
  }
}
