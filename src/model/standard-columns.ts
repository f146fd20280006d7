// The standard columns of an NM-TRAN data set. Defined with the model because a model may not use
// them as names (a data item of a parameter's name replaces it); the records read them (regimen/).

export const STANDARD_COLUMNS = ['ID', 'TIME', 'EVID', 'AMT', 'CMT', 'RATE', 'ADDL', 'II', 'SS', 'DV', 'MDV'] as const;
