# Helper template "pmw_stats" of the generated regression-test modules: the statistics the diff uses
# (shared/diff/stats.ts), so a test decides exactly as the finding did. scipy is used when importable
# (KS p-values, chi-square survival); otherwise the same formulas in plain Python.
# The generator copies everything below the body marker into a module (once, only where needed);
# the lines above it are for editors and linters only.
import math

# ---- pmw:body ----
def _normal_sf(z):
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _z_test_proportions(x1, n1, x2, n2):
    """(z, two-sided p) of the pooled two-proportion z-test, as the diff computes it."""
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if not se > 0:
        return 0.0, (1.0 if p1 == p2 else 0.0)
    z = (p1 - p2) / se
    return z, 2 * _normal_sf(abs(z))


def _bisect_edge(ok, bad, accepted):
    """The accepted count next to the first rejected one, between `ok` (accepted) and `bad` (rejected)."""
    while abs(ok - bad) > 1:
        mid = (ok + bad) // 2
        if accepted(mid):
            ok = mid
        else:
            bad = mid
    return ok


def _proportion_band(base_count, base_rows, rows, alpha):
    """(lowest, highest) count out of `rows` the z-test accepts against base_count of base_rows (p >= alpha)."""
    def accepted(k):
        return 0 <= k <= rows and _z_test_proportions(k, rows, base_count, base_rows)[1] >= alpha

    centre = min(rows, max(0, round(rows * base_count / base_rows)))
    return _bisect_edge(centre, -1, accepted), _bisect_edge(centre, rows + 1, accepted)


def _gammaincc(a, x):
    """Regularised upper incomplete gamma Q(a, x) (series / continued fraction)."""
    if x <= 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    lg = math.lgamma(a)
    if x < a + 1:
        total = term = 1.0 / a
        ap = a
        for _ in range(10000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return 1.0 - total * math.exp(-x + a * math.log(x) - lg)
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < tiny:
            d = tiny
        c = b + an / c
        if abs(c) < tiny:
            c = tiny
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return math.exp(-x + a * math.log(x) - lg) * h


def _chi2_sf(x, df):
    try:
        from scipy import stats
    except ImportError:
        return 1.0 if x <= 0 else _gammaincc(df / 2.0, x / 2.0)
    return float(stats.chi2.sf(x, df))


def _chi_square_gof(observed, expected):
    """(statistic, p) as scipy.stats.chisquare: an expected 0 with an observed count is infinite (p = 0)."""
    stat = 0.0
    for o, e in zip(observed, expected):
        if e == 0:
            if o != 0:
                stat = math.inf
            continue
        stat += (o - e) ** 2 / e
    df = len(observed) - 1
    if df < 1:
        return stat, 1.0
    return stat, 0.0 if math.isinf(stat) else _chi2_sf(stat, df)


def _jensen_shannon(p, q):
    """Jensen-Shannon distance (natural log) of two count vectors, as scipy.spatial.distance.jensenshannon."""
    sp, sq = float(sum(p)), float(sum(q))
    if not (sp > 0 and sq > 0):
        return math.nan
    js = 0.0
    for a, b in zip(p, q):
        a, b = a / sp, b / sq
        m = (a + b) / 2
        if a > 0:
            js += a * math.log(a / m)
        if b > 0:
            js += b * math.log(b / m)
    return math.sqrt(max(js / 2, 0.0))


def _ks_statistic(a, b):
    """Two-sample KS statistic of two ascending numpy arrays (ties as scipy)."""
    import numpy as np

    both = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, both, side="right") / len(a)
    cdf_b = np.searchsorted(b, both, side="right") / len(b)
    return float(np.max(np.abs(cdf_a - cdf_b)))


def _ks_exact_sf(d, n1, n2):
    """Exact P(D >= d) for two samples without ties (lattice paths), as scipy's exact mode."""
    m, n = min(n1, n2), max(n1, n2)
    g = math.gcd(m, n)
    h = math.floor(d * (m // g) * n + 0.5)
    if h == 0:
        return 1.0
    thr = h * g
    u = [0.0 if j * m >= thr else 1.0 for j in range(n + 1)]
    for i in range(1, m + 1):
        w = i / (i + n)
        in_i = i * n
        u[0] = 0.0 if in_i >= thr else w * u[0]
        for j in range(1, n + 1):
            u[j] = 0.0 if abs(in_i - j * m) >= thr else w * u[j] + u[j - 1]
    return min(1.0, max(0.0, 1 - u[n]))


def _kolmogorov_sf(lam):
    if not lam > 0:
        return 1.0
    if lam < 1.18:
        w = math.sqrt(2 * math.pi) / lam
        q = -(math.pi ** 2) / (8 * lam * lam)
        s = sum(math.exp((2 * k - 1) ** 2 * q) for k in range(1, 20))
        return min(1.0, max(0.0, 1 - w * s))
    s = sum((1 if k % 2 else -1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 100))
    return min(1.0, max(0.0, 2 * s))


def _ks_2samp(a, b):
    """(statistic, p-value) as scipy.stats.ks_2samp(method="auto")."""
    try:
        from scipy import stats
    except ImportError:
        d = _ks_statistic(a, b)
        n1, n2 = len(a), len(b)
        if max(n1, n2) <= 10000 and n1 * n2 <= 2_000_000:
            return d, _ks_exact_sf(d, n1, n2)
        return d, _kolmogorov_sf(math.sqrt(n1 * n2 / (n1 + n2)) * d)
    r = stats.ks_2samp(a, b)
    return float(r.statistic), float(r.pvalue)


def _wasserstein(u, v):
    """Wasserstein-1 distance of two ascending numpy arrays."""
    import numpy as np

    both = np.sort(np.concatenate([u, v]))
    deltas = np.diff(both)
    cdf_u = np.searchsorted(u, both[:-1], side="right") / len(u)
    cdf_v = np.searchsorted(v, both[:-1], side="right") / len(v)
    return float(np.sum(np.abs(cdf_u - cdf_v) * deltas))
