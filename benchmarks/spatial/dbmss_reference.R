# Reference values from dbmss (R) for tests/spatial: Kd and M on a small point set and dbmss's
# global envelope on a fixed matrix of simulations. Run from the repository root with dbmss
# installed (see benchmarks/spatial/README.md):
#   Rscript benchmarks/spatial/dbmss_reference.R
# Writes tests/spatial/fixtures/dbmss_kd.csv, dbmss_m.csv, dbmss_envelope.csv.
suppressPackageStartupMessages({
  library(dbmss)
  library(spatstat.explore)
})
fx <- "tests/spatial/fixtures"
pts <- read.csv(file.path(fx, "points_plane.csv"))
X <- wmppp(
  data.frame(X = pts$x_km, Y = pts$y_km, PointType = pts$type, PointWeight = pts$weight),
  window = owin(c(0, 100), c(0, 60))
)
r <- seq(0, 40, by = 0.5)
kd <- Kdhat(X, r = r, ReferenceType = "A", Weighted = FALSE, Approximate = 0)
kdw <- Kdhat(X, r = r, ReferenceType = "A", Weighted = TRUE, Approximate = 0)
write.csv(data.frame(r = r, kd = kd$Kd, kd_weighted = kdw$Kd),
          file.path(fx, "dbmss_kd.csv"), row.names = FALSE)
m <- Mhat(X, r = r, ReferenceType = "A")
X1 <- X
marks(X1)$PointWeight <- rep(1, X1$n)
m1 <- Mhat(X1, r = r, ReferenceType = "A")
write.csv(data.frame(r = r, m_weighted = m$M, m = m1$M),
          file.path(fx, "dbmss_m.csv"), row.names = FALSE)
sims <- read.csv(file.path(fx, "envelope_simulations.csv"))
f <- fv(sims, argu = "r", valu = "s1", fmla = ". ~ r", alim = range(sims$r),
        labl = names(sims), desc = names(sims))
g <- dbmss:::GlobalEnvelope(f, 0.05)
loc <- apply(as.data.frame(sims)[, -1], 1, stats::quantile, probs = c(0.025, 0.975))
write.csv(data.frame(r = sims$r, global_lo = g[1, ], global_hi = g[2, ],
                     local_lo = loc[1, ], local_hi = loc[2, ]),
          file.path(fx, "dbmss_envelope.csv"), row.names = FALSE)
cat("dbmss", as.character(packageVersion("dbmss")), "reference values written\n")
