package io.synctriage.provider.support;

import static io.synctriage.provider.support.testing.Fixtures.account;
import static io.synctriage.provider.support.testing.Fixtures.auth;
import static io.synctriage.provider.support.testing.Fixtures.evidence;
import static io.synctriage.provider.support.testing.Fixtures.failure;
import static io.synctriage.provider.support.testing.Fixtures.sync;
import static io.synctriage.provider.support.testing.Fixtures.t;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Evidence;
import io.synctriage.model.LogLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.DiagnosisMemo;

/** Finds kept in a diagnosis's memo are exactly the table's, and a scan reading them sees what it would find. */
public class KeptFindsTest {

    private static SignatureTable table() throws IOException {
        return SignatureTable.parse("t.tsv", new StringReader(String.join("\n",
                "aadsts:70043\tCA_SIGNIN_FREQUENCY\tPOLICY\tspecific\t0.95\t-\t-\tAADSTS70043",
                "aadsts:50126\tPASSWORD_CHANGED\tAUTH\tspecific\t0.8\t-\t-\tAADSTS50126",
                "aadsts:50126 && provider:outlook\tUSER_DISABLED\tAUTH\tspecific\t0.9\t-\t-\tAADSTS50126 outlook",
                "http:503\tPROVIDER_OUTAGE\tSERVER\theuristic\t0.5\t-\t-\tHTTP 503",
                "token:invalid_grant\t-\tAUTH\tinfo\t0.3\t-\t-\tinvalid_grant")), Set.of());
    }

    private static final Account OFFICE = account("acc-1").email("r.k@vistula.pl")
            .provider("office365", ProviderFamily.MICROSOFT).build();
    private static final Account OUTLOOK = account("acc-1").email("r.k@vistula.pl")
            .provider("outlook", ProviderFamily.MICROSOFT).build();

    private static final String[][] TEXTS = {{"invalid_grant", "AADSTS50126: wrong password"}, {null, "AADSTS70043"},
        {"invalid_grant", null}, {null, "HTTP 503 Service Unavailable"}, {null, "sync ok"}, {"", ""}, {null, null},
        {" invalid_grant ", "  AADSTS70043  "}};

    @Test
    public void keptFindsAreTheTablesAndStayWithTheirTableAndSubject() throws IOException {
        SignatureTable table = table();
        SignatureTable other = table();
        DiagnosisMemo memo = new DiagnosisMemo();
        for (String[] text : TEXTS) {
            for (Account subject : List.of(OFFICE, OUTLOOK)) {
                assertEquals(table.find(text[0], text[1], subject),
                        KeptFinds.find(memo, table, text[0], text[1], subject).rows());
            }
        }
        KeptFinds kept = KeptFinds.in(memo, table);
        assertNotNull(kept.get("invalid_grant", "AADSTS50126: wrong password", OFFICE));
        assertNull("another subject's find", kept.get("invalid_grant", "AADSTS50126: wrong password", account("acc-1")
                .email("r.k@vistula.pl").provider("office365", ProviderFamily.MICROSOFT).build()));
        assertNull("another table's finds", KeptFinds.in(memo, other));
        assertNull("nothing kept", KeptFinds.in(new DiagnosisMemo(), table));
    }

    /** A scan whose texts were (partly) found before in the diagnosis equals a scan that finds them all. */
    @Test
    public void aScanReadingKeptFindsEqualsOneFindingThemAll() throws IOException {
        SignatureTable table = table();
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < TEXTS.length; i++) {
            lines.add(auth("2026-04-14T0" + i + ":00:00Z", TEXTS[i][0], TEXTS[i][1]));
            lines.add(sync("2026-04-13T0" + i + ":00:00Z", i % 2 == 0 ? "info" : "error", TEXTS[i][1]));
        }
        Evidence ev = evidence(OFFICE).lines(lines.toArray(new LogLine[0]))
                .events(failure("account.invalid", "2026-04-14T09:30:00Z", "invalid_grant", "AADSTS70043")).build();
        DiagnosisMemo memo = new DiagnosisMemo();
        for (int i = 0; i < TEXTS.length; i += 2) {
            KeptFinds.find(memo, table, TEXTS[i][0], TEXTS[i][1], ev.account());
        }
        LogScan fresh = LogScan.of(new CheckContext(ev, t("2026-04-14T10:00:00Z"), t("2026-03-15T10:00:00Z"), null),
                table);
        LogScan kept = LogScan.of(new CheckContext(ev, t("2026-04-14T10:00:00Z"), t("2026-03-15T10:00:00Z"), null,
                memo), table);
        assertEquals(describe(fresh), describe(kept));
        assertEquals(fresh.linesInWindow(), kept.linesInWindow());
        assertEquals(fresh.lastQuietSyncLine(), kept.lastQuietSyncLine());
    }

    private static List<String> describe(LogScan scan) {
        List<String> out = new ArrayList<>();
        for (List<Hit> hits : List.of(scan.hits(), scan.afterT(), scan.beforeWindow())) {
            for (Hit h : hits) {
                out.add(h.item() + " " + h.text() + " " + h.signatures() + " " + h.order());
            }
            out.add("|");
        }
        return out;
    }
}
