/**
 * Imported first by the dashboard's entry: React and Ink pick their build when first loaded,
 * and the development build's checks cost a steady few percent of a core on every frame. A
 * NODE_ENV the user set is left alone.
 */
process.env.NODE_ENV ??= 'production';

export {};
