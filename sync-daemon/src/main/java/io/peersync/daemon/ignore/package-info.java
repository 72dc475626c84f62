/**
 * Which paths of a folder sync does not touch: gitignore-style rules read from the folder's
 * {@code .peersyncignore} ({@link io.peersync.daemon.ignore.IgnoreFile}, {@link io.peersync.daemon.ignore.IgnoreRules})
 * and ready-made rule sets ({@link io.peersync.daemon.ignore.Presets}).
 */
package io.peersync.daemon.ignore;
