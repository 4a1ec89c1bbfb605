include_HEADERS += include/geopm_error.h include/geopm_shm.h
