package io.synctriage.benchmarks.fleet;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import io.synctriage.model.ProviderFamily;

/**
 * Who is in the fleet: the domains (names, what kind of mail service each runs), which account belongs to
 * which domain, and every account's provider, id, email and link time. Everything is a deterministic
 * function of the spec; only three small arrays per account are kept (domain, rank in the domain,
 * provider), the rest is derived from the seed on demand.
 *
 * <p>About 30 % of the accounts are on consumer domains (gmail.com, outlook.com…, which decision-tree.md
 * never treats as a domain pattern); the others are spread over the business domains with a heavy tail
 * (a few tenants with thousands of mailboxes, many with a handful). A business domain runs one mail
 * service: Microsoft 365, Google Workspace, hosted IMAP or on-premises Exchange ActiveSync.
 */
final class FleetLayout {

    /** What a business domain runs, or a consumer domain. */
    enum DomainType {
        MS365(ProviderFamily.MICROSOFT), WORKSPACE(ProviderFamily.GOOGLE), HOSTED_IMAP(ProviderFamily.IMAP),
        EXCHANGE(ProviderFamily.EAS), CONSUMER(null);

        final ProviderFamily family;

        DomainType(ProviderFamily family) {
            this.family = family;
        }
    }

    /** The consumer domains, their share of the consumer accounts, and the providers their accounts use. */
    private record ConsumerDomain(String name, double share, Provider v2, Provider v3, double v3Share) {
    }

    private static final ConsumerDomain[] CONSUMER = {
        new ConsumerDomain("gmail.com", 0.45, Provider.GMAIL, Provider.GOOGLE_V3, 0.3),
        new ConsumerDomain("outlook.com", 0.14, Provider.OUTLOOK, Provider.MICROSOFT_V3, 0.4),
        new ConsumerDomain("hotmail.com", 0.10, Provider.HOTMAIL, Provider.MICROSOFT_V3, 0.3),
        new ConsumerDomain("live.com", 0.03, Provider.OUTLOOK, Provider.MICROSOFT_V3, 0.3),
        new ConsumerDomain("yahoo.com", 0.12, Provider.YAHOO, Provider.YAHOO_V3, 0.3),
        new ConsumerDomain("icloud.com", 0.08, Provider.ICLOUD, Provider.ICLOUD_V3, 0.3),
        new ConsumerDomain("me.com", 0.03, Provider.ICLOUD, Provider.ICLOUD_V3, 0.2),
        new ConsumerDomain("aol.com", 0.05, Provider.IMAP, Provider.IMAP_V3, 0.1),
    };

    /** The consumer mail domains of decision-tree.md (the engine's default list). */
    static final Set<String> CONSUMER_DOMAINS = Set.of("gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
            "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com");

    static final double CONSUMER_ACCOUNT_SHARE = 0.30;
    /** Accounts linked inside the window (new sign-ups, with an account.connected / grant.created). */
    static final double SIGN_UP_SHARE = 0.15;

    private static final long SALT_PROVIDER = 11, SALT_ID = 12, SALT_ID2 = 13, SALT_LINK = 14, SALT_LINK2 = 15,
            SALT_TYPE = 16;

    private static final String[] FIRST = {"anna", "ben", "chloe", "dev", "elif", "femi", "greta", "hugo", "ines",
        "jonas", "kai", "lena", "marco", "nadia", "oscar", "priya", "quinn", "rosa", "sami", "tara", "umar", "vera",
        "wim", "xena", "yusuf", "zoe", "aiko", "bruno", "carla", "diego", "emma", "farid", "gwen", "hana", "ivan",
        "julia", "kofi", "lucia", "mats", "noor", "olga", "pablo", "rania", "sven", "tomas", "uma", "viktor",
        "wanda", "yara", "zeno", "amara", "bilal", "cora", "dario", "esme", "felix", "gaia", "henrik", "iris", "joel"};
    private static final String[] LAST = {"achterberg", "baptiste", "castillo", "dubois", "eriksen", "fontaine",
        "garcia", "haddad", "ivanova", "jansen", "kowalski", "lindqvist", "moreau", "nakamura", "okafor", "petrov",
        "quintana", "rossi", "schmidt", "tanaka", "urquhart", "vidal", "walsh", "xu", "yilmaz", "zeller", "abbott",
        "brennan", "costa", "delgado", "engel", "ferreira", "gallagher", "horvath", "iqbal", "jovanovic", "keller",
        "lambert", "mendes", "nilsson", "oconnor", "pereira", "reyes", "sato", "torres", "ueda", "varga", "weber",
        "yamamoto", "zhang", "adeyemi", "bergstrom", "chen", "dahl", "evans", "fischer", "grant", "hughes", "ito",
        "johansson"};

    private static final String[] WORD_A = {"north", "south", "east", "west", "harbour", "river", "stone", "oak",
        "maple", "cedar", "pine", "willow", "birch", "ash", "elm", "fox", "wolf", "bear", "hawk", "kestrel",
        "falcon", "heron", "otter", "badger", "copper", "silver", "golden", "iron", "amber", "ivory", "azure",
        "crimson", "emerald", "indigo", "scarlet", "blue", "green", "red", "grey", "white", "black", "bright",
        "clear", "quiet", "swift", "bold", "brave", "true", "prime", "summit", "valley", "meadow", "harvest",
        "lantern", "beacon", "anchor", "compass", "atlas", "orbit", "vector", "pixel", "quantum", "nimbus", "aurora",
        "solstice", "tidal", "coastal", "alpine", "highland", "lowland", "brook", "glen", "moor", "fen", "marsh",
        "thistle", "bramble", "clover", "juniper", "saffron", "pepper", "honey", "salt", "granite", "slate", "flint",
        "quarry", "forge", "mill", "bridge", "castle", "abbey", "kingston", "wexford", "ashford", "belmont",
        "carlisle", "dunmore", "everett", "fairview", "glenwood", "hartwell", "larkspur", "marlow"};
    private static final String[] WORD_B = {"freight", "logistics", "legal", "law", "clinic", "dental", "vets",
        "health", "care", "pharma", "labs", "bio", "tech", "systems", "software", "digital", "data", "cloud",
        "networks", "solutions", "consulting", "partners", "group", "holdings", "capital", "finance", "insurance",
        "realty", "homes", "properties", "construction", "builders", "engineering", "energy", "solar", "power",
        "marine", "aero", "motors", "auto", "transport", "travel", "tours", "hotels", "foods", "bakery", "brewing",
        "coffee", "kitchen", "bistro", "farms", "dairy", "gardens", "florist", "design", "studio", "media", "press",
        "films", "music", "arts", "architects", "interiors", "print", "textiles", "ceramics", "furniture", "tools",
        "supply", "trading", "imports", "retail", "outfitters", "sports", "fitness", "academy", "school", "college",
        "learning", "institute", "foundation", "trust", "charity", "church", "council", "associates", "accounting",
        "tax", "payroll", "recruiting", "staffing", "security", "electric", "plumbing", "roofing", "cleaning",
        "catering", "events", "kayaks"};
    private static final String[] TLD = {"com", "com", "com", "com", "co.uk", "de", "fr", "nl", "io", "net",
        "org", "ch", "se", "no", "es", "it", "com.au", "ca", "be", "at"};

    final FleetSpec spec;
    final String[] domainName;
    final DomainType[] domainType;
    final int[] domainSize;
    /** The accounts of domain d are {@code accountsByDomain[domainStart[d] .. domainStart[d+1])}, by rank. */
    final int[] domainStart;
    final int[] accountsByDomain;
    final int consumerDomains;

    private final int[] domainOf;
    private final int[] rankOf;
    private final byte[] providerOf;

    FleetLayout(FleetSpec spec) {
        this.spec = spec;
        int n = spec.accounts();
        consumerDomains = CONSUMER.length;
        int business = spec.domains() - consumerDomains;
        int d = spec.domains();
        domainName = new String[d];
        domainType = new DomainType[d];
        domainSize = new int[d];
        SplittableRandom rnd = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);

        // --- domains: the consumer ones first, then the business names (unique, deterministic)
        for (int c = 0; c < consumerDomains; c++) {
            domainName[c] = CONSUMER[c].name;
            domainType[c] = DomainType.CONSUMER;
        }
        Set<String> names = new HashSet<>(d * 2);
        for (int c = 0; c < consumerDomains; c++) {
            names.add(domainName[c]);
        }
        for (int b = 0; b < business; b++) {
            String name;
            do {
                String a = WORD_A[rnd.nextInt(WORD_A.length)];
                String w = WORD_B[rnd.nextInt(WORD_B.length)];
                String tld = TLD[rnd.nextInt(TLD.length)];
                int style = rnd.nextInt(3);
                name = (style == 0 ? a + "-" + w : style == 1 ? a + w : a + "-" + w + (2 + rnd.nextInt(98))) + "." + tld;
            } while (!names.add(name));
            int idx = consumerDomains + b;
            domainName[idx] = name;
            double u = Hashing.unit(Hashing.hash(spec.seed(), idx, SALT_TYPE));
            domainType[idx] = u < 0.48 ? DomainType.MS365 : u < 0.78 ? DomainType.WORKSPACE
                    : u < 0.91 ? DomainType.HOSTED_IMAP : DomainType.EXCHANGE;
        }

        // --- domain sizes: consumer shares, then every business domain one account plus a heavy-tailed share
        int consumerAccounts = (int) Math.round(n * CONSUMER_ACCOUNT_SHARE);
        int assigned = 0;
        for (int c = 0; c < consumerDomains; c++) {
            domainSize[c] = c == consumerDomains - 1 ? consumerAccounts - assigned
                    : (int) Math.round(consumerAccounts * CONSUMER[c].share);
            assigned += domainSize[c];
        }
        int businessAccounts = n - consumerAccounts;
        long extra = businessAccounts - (long) business;
        double[] weight = new double[business];
        double total = 0;
        for (int b = 0; b < business; b++) {
            // Zipf-like with a flattened head; which domain gets which rank is random (the names are).
            weight[b] = 1.0 / Math.pow(b + 8, 0.8);
            total += weight[b];
        }
        long given = 0;
        for (int b = 0; b < business; b++) {
            int share = (int) Math.floor(extra * weight[b] / total);
            domainSize[consumerDomains + b] = 1 + share;
            given += share;
        }
        for (int b = 0; given < extra; b = (b + 1) % business, given++) {
            domainSize[consumerDomains + b]++;
        }

        // --- accounts: filled domain by domain (rank = position in the domain), then shuffled together
        domainOf = new int[n];
        rankOf = new int[n];
        int k = 0;
        for (int dom = 0; dom < d; dom++) {
            for (int r = 0; r < domainSize[dom]; r++) {
                domainOf[k] = dom;
                rankOf[k] = r;
                k++;
            }
        }
        if (k != n) {
            throw new IllegalStateException("layout placed " + k + " accounts, expected " + n);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = domainOf[i];
            domainOf[i] = domainOf[j];
            domainOf[j] = t;
            t = rankOf[i];
            rankOf[i] = rankOf[j];
            rankOf[j] = t;
        }
        domainStart = new int[d + 1];
        for (int dom = 0; dom < d; dom++) {
            domainStart[dom + 1] = domainStart[dom] + domainSize[dom];
        }
        accountsByDomain = new int[n];
        for (int i = 0; i < n; i++) {
            accountsByDomain[domainStart[domainOf[i]] + rankOf[i]] = i;
        }

        providerOf = new byte[n];
        for (int i = 0; i < n; i++) {
            providerOf[i] = (byte) chooseProvider(i).ordinal();
        }
    }

    private Provider chooseProvider(int i) {
        int dom = domainOf[i];
        double u = Hashing.unit(Hashing.hash(spec.seed(), i, SALT_PROVIDER));
        return switch (domainType[dom]) {
            case MS365 -> u < 0.7 ? Provider.OFFICE365 : Provider.MICROSOFT_V3;
            case WORKSPACE -> u < 0.7 ? Provider.GMAIL : Provider.GOOGLE_V3;
            case HOSTED_IMAP -> u < 0.85 ? Provider.IMAP : Provider.IMAP_V3;
            case EXCHANGE -> Provider.EAS;
            case CONSUMER -> u < CONSUMER[dom].v3Share ? CONSUMER[dom].v3 : CONSUMER[dom].v2;
        };
    }

    int accounts() {
        return domainOf.length;
    }

    int domainOf(int account) {
        return domainOf[account];
    }

    String domain(int account) {
        return domainName[domainOf[account]];
    }

    boolean consumer(int account) {
        return domainType[domainOf[account]] == DomainType.CONSUMER;
    }

    static boolean isConsumerDomain(String domain) {
        return CONSUMER_DOMAINS.contains(domain.toLowerCase(Locale.ROOT));
    }

    Provider provider(int account) {
        return Provider.of(providerOf[account]);
    }

    /** The account's id: a 25-character v2 account id or a v3 grant UUID. */
    String id(int account) {
        long h1 = Hashing.hash(spec.seed(), account, SALT_ID);
        long h2 = Hashing.hash(spec.seed(), account, SALT_ID2);
        if (provider(account).v3()) {
            return new UUID((h1 & ~0xF000L) | 0x4000L, (h2 & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
        }
        char[] c = new char[25];
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        long h = h1;
        for (int p = 0; p < 25; p++) {
            if (p == 12) {
                h = h2;
            }
            c[p] = alphabet.charAt(Hashing.below(h, 36));
            h = Hashing.mix(h + p);
        }
        return new String(c);
    }

    /**
     * The account's email: a distinct name per rank in its domain (first.last, first_last, last.first, then
     * with a number), so emails are unique by construction: first and last names never overlap.
     */
    String email(int account) {
        int r = rankOf[account];
        int pairs = FIRST.length * LAST.length;
        int pair = r % pairs;
        int style = (r / pairs) % 3;
        int number = r / (pairs * 3);
        String first = FIRST[pair % FIRST.length];
        String last = LAST[pair / FIRST.length];
        String local = switch (style) {
            case 0 -> first + "." + last;
            case 1 -> first + "_" + last;
            default -> last + "." + first;
        };
        return (number == 0 ? local : local + number) + "@" + domain(account);
    }

    /**
     * The account's latest (re)authentication before the window, or its sign-up inside it (about 15 %):
     * epoch seconds. Sign-ups lie at least a day inside the window.
     */
    long linkedAt(int account) {
        long start = spec.start().getEpochSecond();
        double u = Hashing.unit(Hashing.hash(spec.seed(), account, SALT_LINK));
        double v = Hashing.unit(Hashing.hash(spec.seed(), account, SALT_LINK2));
        if (u < SIGN_UP_SHARE) {
            long span = (spec.days() - 2) * 86_400L;
            return start + 86_400L + (long) (v * span);
        }
        return start - 86_400L - (long) (v * 900 * 86_400L);
    }

    /** Whether the account signed up inside the window. */
    boolean signedUpInWindow(int account) {
        return linkedAt(account) >= spec.start().getEpochSecond();
    }
}
