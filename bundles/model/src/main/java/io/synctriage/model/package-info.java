/**
 * The Synctriage diagnosis model: normalised evidence about one synced account, the diagnosis the
 * engine answers with, the cause catalogue ({@link io.synctriage.model.Cause}) and the
 * {@link io.synctriage.model.Diagnoser} service. Plain value types, no framework annotations.
 */
@Export
@Version("1.2.0")
package io.synctriage.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
