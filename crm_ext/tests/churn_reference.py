"""What the churn statistics tests share: the CDNOW data set and the
reference implementation, both from ``lifetimes`` (a test-only dependency,
absent on a stock server: the tests that need it are skipped)."""
try:
    import lifetimes
    from lifetimes import datasets
except ImportError:   # a stock Odoo 11 server
    lifetimes = datasets = None

NO_LIFETIMES = "the reference package lifetimes (and its CDNOW data) is not installed"


def cdnow_summary():
    """CDNOW's 2,357 customers: (x, t_x, T) arrays, weeks, 39-week calibration."""
    data = datasets.load_cdnow_summary(index_col=[0])
    return data["frequency"].values, data["recency"].values, data["T"].values


def cdnow_spend():
    """CDNOW's customers with their average spend per repeat purchase: (x, m)."""
    data = datasets.load_cdnow_summary_data_with_monetary_value()
    return data["frequency"].values, data["monetary_value"].values


def bgnbd_fitter(params):
    """lifetimes' BetaGeoFitter with ``params`` set (no fit)."""
    import pandas
    fitter = lifetimes.BetaGeoFitter()
    fitter.params_ = pandas.Series({name: params[name] for name in ("r", "alpha", "a", "b")})
    return fitter
