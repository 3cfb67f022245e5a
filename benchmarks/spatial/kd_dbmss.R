# dbmss side of benchmarks/spatial/bench_kd.py (see README.md for installing dbmss).
# Usage: Rscript kd_dbmss.R WORKDIR CODE SIMULATIONS
# Reads WORKDIR/points.csv (x_km, y_km, type: "I" industry or "O" other), WORKDIR/r.csv and
# WORKDIR/draws_CODE.csv (one row per simulation: 1-based indices of the drawn points).
# Writes WORKDIR/dbmss_CODE.csv: r, observed Kd, KdEnvelope bands (dbmss's own simulations), and
# the local/global bands of Kdhat evaluated on the *same* draws as the Python run.
suppressPackageStartupMessages({ library(dbmss) })
options(warn = -1)  # "data contain duplicated points": facilities sharing coordinates, expected
args <- commandArgs(trailingOnly = TRUE)
wd <- args[1]; code <- args[2]; nsim <- as.integer(args[3])
pts <- read.csv(file.path(wd, "points.csv"))
r <- read.csv(file.path(wd, "r.csv"))$r_km
X <- wmppp(data.frame(X = pts$x_km, Y = pts$y_km, PointType = pts$type, PointWeight = 1),
           window = owin(range(pts$x_km), range(pts$y_km)))
set.seed(20261122)
t_env <- system.time(
  env <- KdEnvelope(X, r = r, NumberOfSimulations = nsim, ReferenceType = "I", Global = TRUE,
                    Approximate = 0, verbose = FALSE)
)[["elapsed"]]
t_obs <- system.time(obs <- Kdhat(X, r = r, ReferenceType = "I", Approximate = 0))[["elapsed"]]
t_approx <- system.time(
  envA <- KdEnvelope(X, r = r, NumberOfSimulations = nsim, ReferenceType = "I", Global = TRUE,
                     Approximate = 1, verbose = FALSE)
)[["elapsed"]]
# The same draws as the Python run: Kdhat on each drawn subset, then dbmss's envelopes.
draws <- as.matrix(read.csv(file.path(wd, paste0("draws_", code, ".csv")), header = FALSE))
xi <- X$x; yi <- X$y
sims <- sapply(seq_len(nrow(draws)), function(s) {
  Y <- wmppp(data.frame(X = xi[draws[s, ]], Y = yi[draws[s, ]], PointType = "I", PointWeight = 1),
             window = X$window)
  Kdhat(Y, r = r, ReferenceType = "I", Approximate = 0, CheckArguments = FALSE)$Kd
})
colnames(sims) <- paste0("s", seq_len(ncol(sims)))
f <- fv(data.frame(r = r, sims), argu = "r", valu = "s1", fmla = ". ~ r", alim = range(r),
        labl = c("r", colnames(sims)), desc = c("r", colnames(sims)))
g <- dbmss:::GlobalEnvelope(f, 0.05)
loc <- apply(sims, 1, stats::quantile, probs = c(0.025, 0.975))
write.csv(data.frame(r = r, kd = obs$Kd, env_lo = env$lo, env_hi = env$hi,
                     same_local_lo = loc[1, ], same_local_hi = loc[2, ],
                     same_global_lo = g[1, ], same_global_hi = g[2, ],
                     approx_obs = envA$obs),
          file.path(wd, paste0("dbmss_", code, ".csv")), row.names = FALSE)
cat(sprintf("{\"code\": \"%s\", \"kdenvelope_s\": %.3f, \"kdhat_s\": %.3f, \"kdenvelope_approx_s\": %.3f, \"dbmss\": \"%s\"}\n",
            code, t_env, t_obs, t_approx, as.character(packageVersion("dbmss"))))
