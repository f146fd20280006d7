// What a built-in model is, apart from its kernel (assembly/models/<module>.ts): everything the
// model file, the solver choice and the design tools decide by its kind. One descriptor per file
// in this folder; scripts/gen-abi.mjs lists them in index.generated.ts with their kernel code.

export type Parameterization = 'clearance' | 'micro';
export type OutputKind = 'concentration' | 'effect' | 'free';

/** The layout of a built-in structure, as a descriptor's functions read it. */
export interface Layout {
  readonly compartments: number;
  readonly depot: boolean;
  readonly parameterization: Parameterization;
}

/** A named structure (command line, or `structure` in a model file): its layout. */
export interface StructureAlias {
  readonly compartments: 1 | 2 | 3;
  readonly depot: boolean;
  /** Default 'clearance'. */
  readonly parameterization?: Parameterization;
}

export interface BuiltinDescriptor<K extends string = string> {
  /** `structure.kind` of model files. */
  readonly kind: K;
  /** Structure names standing for a layout of this kind (e.g. '1cmt-oral', 'advan2'); unique over all built-ins. */
  readonly structures: Readonly<Record<string, StructureAlias>>;
  /** Whether a model file may give it 2 or 3 compartments (else it has one). */
  readonly multiCompartment: boolean;
  /** The parameter names it reads; `optional` ones have the given default. */
  parameters(st: Layout): { required: string[]; optional: Record<string, number> };
  /** Illustrative values of builtinModel(); a name missing here takes its optional default, else 1. */
  readonly defaults: Readonly<Record<string, number>>;
  /** Parameters that must be > 0, and those that may have any sign; the others must be ≥ 0. */
  readonly positive: readonly string[];
  readonly anySign: readonly string[];
  /** State (compartment) names in kernel order; their number is the state count. */
  stateNames(st: Layout): string[];
  /**
   * States that hold no drug amount (a TMDD's receptor and complex concentrations), each with what it
   * holds: a dose record into one is refused (a data set numbered for ADVAN2, central = 2, dosed the
   * receptor of a depot-less TMDD and the drug never appeared).
   */
  readonly notDosed?: Readonly<Record<string, string>>;
  /** 1-based compartment observed by default; without it, the first after the depot. */
  central?(st: Layout): number;
  /** Output observed by default. */
  readonly output: OutputKind;
  /** Whether the observed amount is divided by V (when the model has a V and no observe.scale). */
  readonly scaleByVolume: boolean;
  /** Its own kernel values (KA and the observation fields are written by the caller) into out[off..]. */
  fill(st: Layout, v: (name: string) => number, out: Float64Array, off: number): void;
  /**
   * What 'auto' picks: 'analytic' (closed-form solutions exist and may be asked for), or 'ode':
   * Dormand–Prince switching to RODAS4 for a subject whose problem shows itself stiff.
   */
  readonly solver: 'analytic' | 'ode';
  /** Whether every exposure metric scales with the dose (dose banding, nomograms, strategy comparison). */
  readonly doseProportional: boolean;
  /**
   * Whether its equations are linear in the states (the effect model's Emax is in its output, not
   * its states): an SS = 2 dose adds the periodic state less the undosed one, which is the state
   * only by superposition (engine/steady-state-add.ts warns where it does not hold).
   */
  readonly linearInStates: boolean;
  /**
   * Whether its equations read the time t (Claret: the drug's kill rate decays as e^(−γ·t)): no
   * interval repeats another, so there is no steady state (SS = 1 gave a tumour size of −8283).
   */
  readonly readsTime?: boolean;
  /** Receptor occupancy: its default KD from typical parameters, and whether complex/(receptor + complex) exists. */
  readonly occupancy?: { readonly kd: (p: Readonly<Record<string, number>>) => number; readonly complex: boolean };
}

/** A descriptor, frozen, with its kind kept as a literal type (the model-file kinds derive from it). */
export function builtin<const K extends string>(d: BuiltinDescriptor<K>): BuiltinDescriptor<K> {
  return Object.freeze(d);
}
