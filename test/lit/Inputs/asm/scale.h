/* The factor of scale.S: an #include'd #define. */
#define SCALE 3
