/**
 * Optimization over network surrogates: covering direct search (cDSM) combined with directional
 * attacks, and offline model-based optimization with sharpness-regularized surrogates (IGNITE). Its
 * capabilities are the subject of the surrogate issues; until they land this module holds only its
 * package.
 */
package dev.descent.surrogate;
