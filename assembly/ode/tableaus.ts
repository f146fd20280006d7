// Butcher / Rosenbrock coefficients. All values are compile-time constants so the
// optimiser folds them into the stage loops (no table lookups per step).

// ---------------------------------------------------------------------------------------
// Dormand-Prince 5(4), FSAL, 7 stages (6 function evaluations per accepted step).
// see: Dormand JR, Prince PJ, J Comput Appl Math 1980;6:19-26 (RK5(4)7M)
// see: Hairer, Norsett & Wanner, Solving ODEs I, 2nd ed., Table II.5.2 and dopri5.f
// ---------------------------------------------------------------------------------------
export const DP_C2: f64 = 1.0 / 5.0;
export const DP_C3: f64 = 3.0 / 10.0;
export const DP_C4: f64 = 4.0 / 5.0;
export const DP_C5: f64 = 8.0 / 9.0;

export const DP_A21: f64 = 1.0 / 5.0;
export const DP_A31: f64 = 3.0 / 40.0;
export const DP_A32: f64 = 9.0 / 40.0;
export const DP_A41: f64 = 44.0 / 45.0;
export const DP_A42: f64 = -56.0 / 15.0;
export const DP_A43: f64 = 32.0 / 9.0;
export const DP_A51: f64 = 19372.0 / 6561.0;
export const DP_A52: f64 = -25360.0 / 2187.0;
export const DP_A53: f64 = 64448.0 / 6561.0;
export const DP_A54: f64 = -212.0 / 729.0;
export const DP_A61: f64 = 9017.0 / 3168.0;
export const DP_A62: f64 = -355.0 / 33.0;
export const DP_A63: f64 = 46732.0 / 5247.0;
export const DP_A64: f64 = 49.0 / 176.0;
export const DP_A65: f64 = -5103.0 / 18656.0;
// 5th-order weights (= row 7 of A, the FSAL property)
export const DP_A71: f64 = 35.0 / 384.0;
export const DP_A73: f64 = 500.0 / 1113.0;
export const DP_A74: f64 = 125.0 / 192.0;
export const DP_A75: f64 = -2187.0 / 6784.0;
export const DP_A76: f64 = 11.0 / 84.0;
// error weights b - b_hat (5th minus embedded 4th order)
export const DP_E1: f64 = 71.0 / 57600.0;
export const DP_E3: f64 = -71.0 / 16695.0;
export const DP_E4: f64 = 71.0 / 1920.0;
export const DP_E5: f64 = -17253.0 / 339200.0;
export const DP_E6: f64 = 22.0 / 525.0;
export const DP_E7: f64 = -1.0 / 40.0;
// Continuous extension of order 4 (Shampine's dense output as coded in dopri5.f, CONTD5):
// y(t+th*h) = y0 + th*(r2 + (1-th)*(r3 + th*(r4 + (1-th)*r5)))
// see: Shampine LF, Math Comp 1986;46:135-150; Hairer, Norsett & Wanner I, Sect. II.6
export const DP_D1: f64 = -12715105075.0 / 11282082432.0;
export const DP_D3: f64 = 87487479700.0 / 32700410799.0;
export const DP_D4: f64 = -10690763975.0 / 1880347072.0;
export const DP_D5: f64 = 701980252875.0 / 199316789632.0;
export const DP_D6: f64 = -1453857185.0 / 822651844.0;
export const DP_D7: f64 = 69997945.0 / 29380423.0;

// ---------------------------------------------------------------------------------------
// RODAS4: 6-stage L-stable, stiffly accurate Rosenbrock method of order 4 with embedded
// order-3 solution and order-3 dense output.
// see: Hairer & Wanner, Solving ODEs II, 2nd ed., Sect. IV.7, Table 7.4 (RODAS), and the
//      coefficients of subroutine ROCOE (METH=1) in Hairer's rodas.f
// Formulation (transformed variables, Hairer-Wanner IV.7.25):
//   (1/(h*gamma) I - J) k_i = f(t + c_i h, y + sum_j a_ij k_j) + sum_j (c_ij/h) k_j + h d_i f_t
//   embedded y^ = y + sum_{j<=4} a_5j k_j + k_5, solution y1 = y^ + k_6, error = k_6.
// ---------------------------------------------------------------------------------------
export const RO_GAMMA: f64 = 0.25;
export const RO_C2: f64 = 0.386;
export const RO_C3: f64 = 0.21;
export const RO_C4: f64 = 0.63;
// d_i = sum_j gamma_ij (time-derivative weights for non-autonomous problems)
export const RO_D1: f64 = 0.25;
export const RO_D2: f64 = -0.1043;
export const RO_D3: f64 = 0.1035;
export const RO_D4: f64 = -0.3620000000000023e-1;

export const RO_A21: f64 = 0.1544e1;
export const RO_A31: f64 = 0.9466785280815826;
export const RO_A32: f64 = 0.2557011698983284;
export const RO_A41: f64 = 0.3314825187068521e1;
export const RO_A42: f64 = 0.2896124015972201e1;
export const RO_A43: f64 = 0.9986419139977817;
export const RO_A51: f64 = 0.1221224509226641e1;
export const RO_A52: f64 = 0.6019134481288629e1;
export const RO_A53: f64 = 0.1253708332932087e2;
export const RO_A54: f64 = -0.687886036105895;

export const RO_C21: f64 = -0.56688e1;
export const RO_C31: f64 = -0.2430093356833875e1;
export const RO_C32: f64 = -0.2063599157091915;
export const RO_C41: f64 = -0.1073529058151375;
export const RO_C42: f64 = -0.9594562251023355e1;
export const RO_C43: f64 = -0.2047028614809616e2;
export const RO_C51: f64 = 0.7496443313967647e1;
export const RO_C52: f64 = -0.1024680431464352e2;
export const RO_C53: f64 = -0.3399990352819905e2;
export const RO_C54: f64 = 0.117089089320616e2;
export const RO_C61: f64 = 0.8083246795921522e1;
export const RO_C62: f64 = -0.7981132988064893e1;
export const RO_C63: f64 = -0.3152159432874371e2;
export const RO_C64: f64 = 0.1631930543123136e2;
export const RO_C65: f64 = -0.6058818238834054e1;

// Dense output (rodas.f, CONTRO): with s = (t - t0)/h,
//   y(s) = (1-s) y0 + s (y1 + (1-s)(q1 + s q2)),  q1 = sum d2j k_j, q2 = sum d3j k_j.
export const RO_D21: f64 = 0.1012623508344586e2;
export const RO_D22: f64 = -0.7487995877610167e1;
export const RO_D23: f64 = -0.3480091861555747e2;
export const RO_D24: f64 = -0.7992771707568823e1;
export const RO_D25: f64 = 0.1025137723295662e1;
export const RO_D31: f64 = -0.6762803392801253;
export const RO_D32: f64 = 0.6087714651680015e1;
export const RO_D33: f64 = 0.1643084320892478e2;
export const RO_D34: f64 = 0.2476722511418386e2;
export const RO_D35: f64 = -0.6594389125716872e1;

// ---------------------------------------------------------------------------------------
// Rodas5P: 8-stage L-stable, stiffly accurate Rosenbrock method of order 5 with embedded
// order-4 solution and order-4 dense output (Steinebach 2023, the coefficients of
// OrdinaryDiffEq.jl's Rodas5PTableau). Same formulation as RODAS4 above: stages 6-8 are taken
// at t + h without a time-derivative term; y^ = y + sum_{j<=5} a_6j k_j + k_6 + k_7,
// y1 = y^ + k_8, error = k_8.
// see: Steinebach G., "Construction of Rosenbrock–Wanner method Rodas5P and numerical benchmarks
//      within the Julia Differential Equations package", BIT Numer. Math. 63 (2023) 27;
//      Di Marzo G., RODAS5(4) – Méthodes de Rosenbrock d'ordre 5(4) adaptées aux problèmes
//      différentiels-algébriques, Univ. Genève (1993)
// Stored as arrays (memory order: row i of a lower-triangular table after row i-1) for the
// stage loops of rodas5p.ts.
// ---------------------------------------------------------------------------------------
export const R5_GAMMA: f64 = 0.21193756319429014;
export const R5_STAGES: i32 = 8;
/** c_i of stages 1-5 (stages 6-8 at t + h). */
export const R5_C: usize = memory.data<f64>([0.0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664]);
/** d_i of stages 1-5 (time-derivative weights; 0 after). */
export const R5_D: usize = memory.data<f64>([0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734, 2.325825639765069]);
/** a_ij for stages 2-6, rows concatenated (1, 2, 3, 4, 5 entries). */
export const R5_A: usize = memory.data<f64>([
  3.0,
  2.849394379747939, 0.45842242204463923,
  -6.954028509809101, 2.489845061869568, -10.358996098473584,
  2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641,
  -7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946,
]);
/** C_ij for stages 2-8, rows concatenated (1..7 entries). */
export const R5_CC: usize = memory.data<f64>([
  -14.155112264123755,
  -17.97296035885952, -2.859693295451294,
  147.12150275711716, -1.41221402718213, 71.68940251302358,
  165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306,
  24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125, -0.6610691825249471,
  30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783, -19.097331116725623, -28.087943162872662,
  37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047, -40.06618937091002, -54.66780262877968, -9.48861652309627,
]);
/**
 * Dense output, three rows of 8: q_r = sum_j h_rj k_j, and with s = (t - t0)/h
 *   y(s) = (1-s) y0 + s (y1 + (1-s)(q1 + s (q2 + s q3))).
 */
export const R5_H: usize = memory.data<f64>([
  25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204, 0.524948541321073, 1.1241088310450404, 0.4272876194431874, -0.17202221070155493,
  -9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796, 20.176138334709044, 15.98066361424651, -6.789040303419874, -6.710236069923372,
  11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643, -52.072871366152654, -59.78993625266729, -0.15582684282751913, 4.883087185713722,
]);
