package io.synctriage.source.nylas.internal;

import java.time.Clock;
import java.util.List;

import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.LogLine;

/** The engine's real normaliser behind the EvidenceReader interface, as the engine registers it. */
class EngineReader implements EvidenceReader {

    private final EvidenceNormalizer normalizer = new EvidenceNormalizer(Clock.systemUTC());

    @Override
    public Account account(Object raw, String path) throws InvalidEvidenceException {
        return normalizer.account(raw, path);
    }

    @Override
    public List<AccountEvent> notifications(Object raw, String path) throws InvalidEvidenceException {
        return normalizer.notifications(raw, path);
    }

    @Override
    public ApiCall apiCall(Object raw, String path) throws InvalidEvidenceException {
        return normalizer.readApiCall(raw, path);
    }

    @Override
    public LogLine logLine(EvidenceSource source, Object raw, String path) throws InvalidEvidenceException {
        return normalizer.logLine(source, raw, path);
    }
}
