# The same in gold score
# Render from this directory: gnuplot gold.gp  (writes gold.png)
if (!exists("outfile")) outfile = 'gold.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'The same in gold score'
set xlabel 'iteration'
set ylabel 'gold score (0-10)'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'gold.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'TPO, best in cache', \
     'gold.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'TPO, batch mean', \
     'gold.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'revision, best in cache', \
     'gold.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'revision, batch mean', \
     5.9775094 with lines dt 2 lw 1.5 lc rgb '#333333' title 'best-of-20, same calls'
