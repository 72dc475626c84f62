package io.peersync.daemon.scan;

import java.util.List;
import java.util.Set;

/**
 * What one scan did.
 *
 * @param walked      entries looked at on disk
 * @param changed     new or changed entries reported
 * @param deleted     deletions reported
 * @param hashedBytes bytes read to hash changed files
 * @param retry       files that changed while being hashed: scan them again later
 * @param errors      entries that could not be read, with the reason; left as the index knows them
 */
public record ScanStats(long walked, long changed, long deleted, long hashedBytes, Set<String> retry,
                        List<String> errors) {
    public ScanStats {
        retry = Set.copyOf(retry);
        errors = List.copyOf(errors);
    }
}
