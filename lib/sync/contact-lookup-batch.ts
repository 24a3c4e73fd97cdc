// Intercom documents no cap on IN values; 100 keeps each request small and each answer (duplicates
// included) close to one 150-contact page.
export const LOOKUP_BATCH = 100;
