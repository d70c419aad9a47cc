# TRPO: surrogate gain predicted by gᵀΔ against the gain realized
# Render from this directory: gnuplot predicted-vs-realized.gp  (writes predicted-vs-realized.png)
if (!exists("outfile")) outfile = 'predicted-vs-realized.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'TRPO: surrogate gain predicted by gᵀΔ against the gain realized'
set xlabel 'predicted gain'
set ylabel 'realized gain (accepted step)'
set key top right box opaque
set grid
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot 'predicted-vs-realized.dat' index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'update'
